-- Appends a history entry that is not a transition (a refused command, say):
-- from and to are both the current status, the version is the current one,
-- and "transition": false marks it. Status and version stay as they are.
-- KEYS[1] order hash, KEYS[2] history list. ARGV: time, stage, note.
-- Returns {status, version}, or an empty array when the order is missing.
local order, history = KEYS[1], KEYS[2]
local time, stage, note = ARGV[1], ARGV[2], ARGV[3]
local current = redis.call('HMGET', order, 'status', 'version')
local status, version = current[1], tonumber(current[2])
if not status then
  return {}
end
if not version then
  return redis.error_reply('ERR record: version is not an integer on ' .. order)
end

redis.call('RPUSH', history, cjson.encode({
  from = status, to = status, version = version, time = time, stage = stage, note = note,
  transition = false}))
return {status, version}
