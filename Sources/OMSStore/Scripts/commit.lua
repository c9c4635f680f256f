-- Order ARGV[1]'s goods of one SKU left the building: what it holds leaves
-- reserved for good, and the hold is deleted. An order that holds nothing
-- commits nothing.
-- KEYS[1] stock hash, KEYS[2] holds hash.
-- Returns the quantity committed.
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
local reserved = counter(redis.call('HGET', stock, 'reserved'))
if not held or not reserved or reserved < held then
  return redis.error_reply('ERR commit: the hold of ' .. order .. ' does not match reserved on ' .. stock
    .. '; check the counters with oms stock reconcile')
end

redis.call('HINCRBY', stock, 'reserved', -held)
redis.call('HDEL', holds, order)
return held
