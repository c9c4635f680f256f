-- Order ARGV[1]'s goods of one SKU left the building: what it holds leaves
-- reserved for good (at the location the hold is at, when it is at one), and
-- the hold is deleted. An order that holds nothing commits nothing.
-- KEYS[1] stock hash, KEYS[2] holds hash, KEYS[3] held-at hash.
-- Returns the quantity committed.
local stock, holds, held_at, order = KEYS[1], KEYS[2], KEYS[3], ARGV[1]

-- A counter as HINCRBY reads it: missing is 0, anything but decimal digits is nil.
local function counter(value)
  if not value then return 0 end
  return string.match(value, '^%-?%d+$') and tonumber(value)
end

local held = counter(redis.call('HGET', holds, order))
if held == 0 then
  return 0
end
local location = redis.call('HGET', held_at, order)
local current = redis.call('HMGET', stock, 'reserved', 'reserved@' .. (location or ''))
local reserved, reserved_here = counter(current[1]), counter(current[2])
if not held or not reserved or reserved < held or (location and (not reserved_here or reserved_here < held)) then
  return redis.error_reply('ERR commit: the hold of ' .. order .. ' does not match reserved on ' .. stock
    .. '; check the counters with oms stock reconcile')
end

redis.call('HINCRBY', stock, 'reserved', -held)
if location then
  redis.call('HINCRBY', stock, 'reserved@' .. location, -held)
  redis.call('HDEL', held_at, order)
end
redis.call('HDEL', holds, order)
return held
