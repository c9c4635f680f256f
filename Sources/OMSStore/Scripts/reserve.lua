-- Reserves ARGV[2] units of one SKU for order ARGV[1], at most once per order:
-- moves them from available to reserved and records the hold, in one step.
-- A SKU stocked per location (fields available@LOC, reserved@LOC) is reserved
-- at the first of the locations ARGV[3..] (nearest first) that has every unit,
-- both its counters and the totals moving, and the location is recorded as
-- where the order's hold is; a SKU without them is reserved from the totals.
-- KEYS[1] stock hash, KEYS[2] holds hash, KEYS[3] held-at hash.
-- Returns {reserved, newly_reserved, available_after, crossed_reorder_point,
-- reorder_point (false when the SKU has none), location (false when the SKU
-- is not stocked per location), {available at each of ARGV[3..]}}; the flags
-- are 1 or 0.
local stock, holds, held_at = KEYS[1], KEYS[2], KEYS[3]
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

local located = false
for _, field in ipairs(redis.call('HKEYS', stock)) do
  if string.sub(field, 1, 10) == 'available@' then located = true break end
end
local at = {}
local chosen = false
if located then
  for i = 3, #ARGV do
    local here = counter(redis.call('HGET', stock, 'available@' .. ARGV[i]))
    if not here then
      return redis.error_reply('ERR reserve: available@' .. ARGV[i] .. ' is not an integer on ' .. stock)
    end
    at[#at + 1] = here
    if not chosen and here >= quantity then chosen = ARGV[i] end
  end
end

-- A redelivered reservation succeeds without change, whatever is available now.
if redis.call('HEXISTS', holds, order) == 1 then
  return {1, 0, available, 0, reorder_point or false, redis.call('HGET', held_at, order) or false, at}
end
if available < quantity or (located and not chosen) then
  return {0, 0, available, 0, reorder_point or false, false, at}
end

local after = redis.call('HINCRBY', stock, 'available', -quantity)
redis.call('HINCRBY', stock, 'reserved', quantity)
redis.call('HSET', holds, order, quantity)
if chosen then
  redis.call('HINCRBY', stock, 'available@' .. chosen, -quantity)
  redis.call('HINCRBY', stock, 'reserved@' .. chosen, quantity)
  redis.call('HSET', held_at, order, chosen)
end
local crossed = reorder_point ~= nil and available > reorder_point and after <= reorder_point
return {1, 1, after, crossed and 1 or 0, reorder_point or false, chosen, at}
