-- Gives back what order ARGV[1] holds of one SKU: reserved to available, and
-- the hold deleted. An order that holds nothing releases nothing.
-- KEYS[1] stock hash, KEYS[2] holds hash.
-- Returns the quantity released.
local stock, holds, order = KEYS[1], KEYS[2], ARGV[1]

-- A counter as HINCRBY reads it: missing is 0, anything but decimal digits is nil.
local function counter(value)
  if not value then return 0 end
  return string.match(value, '^%-?%d+$') and tonumber(value)
end

local held = counter(redis.call('HGET', holds, order))
if held == 0 then
  return 0
end
local current = redis.call('HMGET', stock, 'available', 'reserved')
local available, reserved = counter(current[1]), counter(current[2])
if not held or not available or not reserved or reserved < held then
  return redis.error_reply('ERR release: the hold of ' .. order .. ' does not match reserved on ' .. stock
    .. '; check the counters with oms stock reconcile')
end

redis.call('HINCRBY', stock, 'available', held)
redis.call('HINCRBY', stock, 'reserved', -held)
redis.call('HDEL', holds, order)
return held
