-- Puts an order on the open picklist (batch picking), once: an order already
-- on a picklist gets that one back. A new picklist opens when there is none,
-- when the open one is older than the window, or when it is full; the one it
-- replaces is queued to be written.
-- KEYS[1] meta hash (seq, open, opened_at, open_count), KEYS[2] order -> picklist
-- hash, KEYS[3] list of closed picklists to write; all share one location's tag.
-- ARGV: order id, now (ms), window (ms), most orders per picklist, the order's
-- lines as JSON, key prefix of the picklists' line lists, the location.
-- Returns the picklist id.
local meta, assigned, closed = KEYS[1], KEYS[2], KEYS[3]
local order_id, now, window, most = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local lines, prefix, location = ARGV[5], ARGV[6], ARGV[7]
if not now or not window or not most or most < 1 then
  return redis.error_reply('ERR assign_picklist: now, window and most must be numbers')
end
local existing = redis.call('HGET', assigned, order_id)
if existing then return existing end

local open = redis.call('HGET', meta, 'open')
local opened_at = tonumber(redis.call('HGET', meta, 'opened_at') or '0')
local count = tonumber(redis.call('HGET', meta, 'open_count') or '0')
if not open or now - opened_at >= window or count >= most then
  if open then redis.call('RPUSH', closed, open) end
  open = string.format('PL-%s-%06d', location, redis.call('HINCRBY', meta, 'seq', 1))
  redis.call('HSET', meta, 'open', open, 'opened_at', now, 'open_count', 0)
end
redis.call('HSET', assigned, order_id, open)
redis.call('HINCRBY', meta, 'open_count', 1)
redis.call('RPUSH', prefix .. open, lines)
return open
