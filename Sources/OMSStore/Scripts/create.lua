-- Stores a new order, once: the same id again is a duplicate when its
-- content hash matches and a conflict when it does not; neither changes anything.
-- KEYS[1] order hash, KEYS[2] history list.
-- ARGV: initial status, channel, document, content hash, time, stage.
-- Returns {'created'}, or {'duplicate' | 'conflict', status, version}.
local order, history = KEYS[1], KEYS[2]
local status, channel, document, content_hash, time, stage =
  ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
-- The history is written after the order hash: make sure that write cannot fail.
local history_type = redis.call('TYPE', history)['ok']
if history_type ~= 'list' and history_type ~= 'none' then
  return redis.error_reply('ERR create: ' .. history .. ' is not a list')
end
if redis.call('EXISTS', order) == 1 then
  local current = redis.call('HMGET', order, 'status', 'version', 'content_hash')
  local verdict = current[3] == content_hash and 'duplicate' or 'conflict'
  return {verdict, current[1], tonumber(current[2]) or false}
end

redis.call('HSET', order, 'status', status, 'version', 1, 'channel', channel, 'document', document,
  'content_hash', content_hash, 'created_at', time, 'updated_at', time)
redis.call('RPUSH', history, cjson.encode({
  from = '', to = status, version = 1, time = time, stage = stage, note = ''}))
return {'created'}
