-- Reserves ARGV[2] units of one SKU for order ARGV[1], at most once per order:
-- moves them from available to reserved and records the hold, in one step.
-- KEYS[1] stock hash, KEYS[2] holds hash.
-- Returns {reserved, newly_reserved, available_after, crossed_reorder_point,
-- reorder_point (nil when the SKU has none)}; the flags are 1 or 0.
local stock, holds = KEYS[1], KEYS[2]
local order, quantity = ARGV[1], tonumber(ARGV[2])

-- A counter as HINCRBY reads it: missing is 0, anything but decimal digits is nil.
local function counter(value)
  if not value then return 0 end
  return string.match(value, '^%-?%d+$') and tonumber(value)
end

if not quantity or quantity < 1 or quantity % 1 ~= 0 then
  return redis.error_reply('ERR reserve: the quantity must be a positive integer')
end
local current = redis.call('HMGET', stock, 'available', 'reserved', 'reorder_point')
local available, reserved, reorder_point = counter(current[1]), counter(current[2]), tonumber(current[3])
if not available or not reserved then
  return redis.error_reply('ERR reserve: available or reserved is not an integer on ' .. stock)
end

-- A redelivered reservation succeeds without change, whatever is available now.
if redis.call('HEXISTS', holds, order) == 1 then
  return {1, 0, available, 0, reorder_point or false}
end
if available < quantity then
  return {0, 0, available, 0, reorder_point or false}
end

local after = redis.call('HINCRBY', stock, 'available', -quantity)
redis.call('HINCRBY', stock, 'reserved', quantity)
redis.call('HSET', holds, order, quantity)
local crossed = reorder_point ~= nil and available > reorder_point and after <= reorder_point
return {1, 1, after, crossed and 1 or 0, reorder_point or false}
