-- Closes the open picklist when its window has passed, queueing it to be
-- written. KEYS[1] meta hash, KEYS[2] list of closed picklists.
-- ARGV: now (ms), window (ms). Returns the closed id, or false.
local meta, closed = KEYS[1], KEYS[2]
local now, window = tonumber(ARGV[1]), tonumber(ARGV[2])
if not now or not window then
  return redis.error_reply('ERR close_picklist: now and window must be numbers')
end
local open = redis.call('HGET', meta, 'open')
local opened_at = tonumber(redis.call('HGET', meta, 'opened_at') or '0')
if not open or now - opened_at < window then return false end
redis.call('HDEL', meta, 'open', 'opened_at', 'open_count')
redis.call('RPUSH', closed, open)
return open
