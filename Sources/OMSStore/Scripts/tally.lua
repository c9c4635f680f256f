-- Counts one fact about one order for `oms report`, once: the fact is marked
-- on the order's marker hash and the counters move only when this call marked
-- it, so a redelivered message or a racing copy counts once.
-- KEYS[1] counters hash, KEYS[2] the order's marker hash (both tagged {report}).
-- ARGV: fact, marker time to live in seconds (0: none), then counter, increment pairs.
-- Returns 1 when this call counted the fact, 0 when it was counted before.
local counters, marker = KEYS[1], KEYS[2]
local fact, ttl = ARGV[1], tonumber(ARGV[2])

local function is_integer(value)
  return value ~= nil and string.match(value, '^%-?%d+$') ~= nil
end

if #ARGV % 2 ~= 0 then
  return redis.error_reply('ERR tally: every counter needs an increment')
end
if not is_integer(ARGV[2]) or ttl < 0 then
  return redis.error_reply('ERR tally: the time to live must be a whole number of seconds, 0 or more')
end
local fields = {}
for index = 3, #ARGV, 2 do
  if not is_integer(ARGV[index + 1]) then
    return redis.error_reply('ERR tally: the increment of ' .. ARGV[index] .. ' is not an integer')
  end
  fields[#fields + 1] = ARGV[index]
end
-- The counters are written after the marker: make sure those writes cannot fail.
for _, key in ipairs(KEYS) do
  local key_type = redis.call('TYPE', key)['ok']
  if key_type ~= 'hash' and key_type ~= 'none' then
    return redis.error_reply('ERR tally: ' .. key .. ' is not a hash')
  end
end
if #fields > 0 then
  for index, value in ipairs(redis.call('HMGET', counters, unpack(fields))) do
    if value and not is_integer(value) then
      return redis.error_reply('ERR tally: ' .. fields[index] .. ' on ' .. counters .. ' is not an integer')
    end
  end
end

if redis.call('HSETNX', marker, fact, 1) == 0 then
  return 0
end
for index = 3, #ARGV, 2 do
  redis.call('HINCRBY', counters, ARGV[index], ARGV[index + 1])
end
if ttl > 0 then
  redis.call('EXPIRE', marker, ttl)
end
return 1
