-- Moves an order to status ARGV[1] when its status is one of the allowed
-- predecessors ARGV[2] (space-separated): status, version + 1, updated_at and
-- the extra fields set, the history entry appended, and the order's keys given
-- their time to live, in one step.
-- KEYS[1] order hash, KEYS[2] history list, KEYS[3] effects hash.
-- ARGV: to, allowed predecessors, time, stage, note, time to live in seconds
-- (the order's keys expire that long after this move; 0: they do not, and an
-- earlier expiry is lifted), an effect marker that forbids the move once set
-- ('' for none: a cancel is refused once ship has claimed the label), then
-- field, value pairs.
-- Returns {'applied' | 'already', from, version, channel, created_at, entered_at},
-- {'refused', status, version} or {'missing'}. 'already': the order is in that
-- status (a redelivery); from and entered_at come from the history entry that
-- moved it there ('' when there is none). What comes after the version is what
-- the report's tally needs.
local order, history = KEYS[1], KEYS[2]
local to, allowed, time, stage, note, forbidden_by = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[7]
if #ARGV % 2 ~= 1 then
  return redis.error_reply('ERR transition: every extra field needs a value')
end
if not ARGV[6] or not string.match(ARGV[6], '^%d+$') then
  return redis.error_reply('ERR transition: the time to live must be a whole number of seconds, 0 or more')
end
local ttl = tonumber(ARGV[6])
-- The history is written after the order hash: make sure that write cannot fail.
local history_type = redis.call('TYPE', history)['ok']
if history_type ~= 'list' and history_type ~= 'none' then
  return redis.error_reply('ERR transition: ' .. history .. ' is not a list')
end
local current = redis.call('HMGET', order, 'status', 'version', 'channel', 'created_at')
local status, version = current[1], tonumber(current[2])
local channel, created_at = current[3] or '', current[4] or ''
if not status then
  return {'missing'}
end
if not version then
  return redis.error_reply('ERR transition: version is not an integer on ' .. order)
end

-- The newest history entry that moved the order into `status`: its from and time.
local function entry_into(status)
  local entries = redis.call('LRANGE', history, 0, -1)
  for index = #entries, 1, -1 do
    local entry = cjson.decode(entries[index])
    if entry.to == status and entry.transition ~= false then
      return entry.from, entry.time
    end
  end
  return '', ''
end

if status == to then
  local from, entered_at = entry_into(to)
  return {'already', from, version, channel, created_at, entered_at}
end
if not string.find(' ' .. allowed .. ' ', ' ' .. status .. ' ', 1, true) then
  return {'refused', status, version}
end
if forbidden_by ~= '' and redis.call('HEXISTS', KEYS[3], forbidden_by) == 1 then
  return {'refused', status, version, forbidden_by}
end

local next_version = version + 1
local fields = {'status', to, 'version', next_version, 'updated_at', time}
for index = 8, #ARGV do
  fields[#fields + 1] = ARGV[index]
end
redis.call('HSET', order, unpack(fields))
redis.call('RPUSH', history, cjson.encode({
  from = status, to = to, version = next_version, time = time, stage = stage, note = note}))
for _, key in ipairs(KEYS) do
  if ttl > 0 then
    redis.call('EXPIRE', key, ttl)
  else
    redis.call('PERSIST', key)
  end
end
return {'applied', status, next_version, channel, created_at, time}
