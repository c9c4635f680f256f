-- Moves an order to status ARGV[1] when its status is one of the allowed
-- predecessors ARGV[2] (space-separated): status, version + 1, updated_at and
-- the extra fields set, and the history entry appended, in one step.
-- KEYS[1] order hash, KEYS[2] history list.
-- ARGV: to, allowed predecessors, time, stage, note, then field, value pairs.
-- Returns {'applied', from, version}, {'already', version} (the order is in
-- that status: a redelivery), {'refused', status, version} or {'missing'}.
local order, history = KEYS[1], KEYS[2]
local to, allowed, time, stage, note = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
if #ARGV % 2 ~= 1 then
  return redis.error_reply('ERR transition: every extra field needs a value')
end
-- The history is written after the order hash: make sure that write cannot fail.
local history_type = redis.call('TYPE', history)['ok']
if history_type ~= 'list' and history_type ~= 'none' then
  return redis.error_reply('ERR transition: ' .. history .. ' is not a list')
end
local current = redis.call('HMGET', order, 'status', 'version')
local status, version = current[1], tonumber(current[2])
if not status then
  return {'missing'}
end
if not version then
  return redis.error_reply('ERR transition: version is not an integer on ' .. order)
end
if status == to then
  return {'already', version}
end
if not string.find(' ' .. allowed .. ' ', ' ' .. status .. ' ', 1, true) then
  return {'refused', status, version}
end

local next_version = version + 1
local fields = {'status', to, 'version', next_version, 'updated_at', time}
for index = 6, #ARGV do
  fields[#fields + 1] = ARGV[index]
end
redis.call('HSET', order, unpack(fields))
redis.call('RPUSH', history, cjson.encode({
  from = status, to = to, version = next_version, time = time, stage = stage, note = note}))
return {'applied', status, next_version}
