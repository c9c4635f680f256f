-- Adds ARGV[1] units to one SKU's available stock (ARGV[4] 'add'), once per
-- restock id ARGV[2] ('' when the restock has none and always counts), or
-- sets its available stock to ARGV[1] (ARGV[4] 'set').
-- At location ARGV[3] ('' for none), available@LOC moves with the total.
-- A SKU is stocked per location from the first time its stock is set at one:
-- what it held before is taken to be at that location, holds included. Once
-- it is, a change that names no location is refused. Units added at a
-- location to a SKU not stocked per location (a return of an order whose
-- other lines were) count in its total.
-- KEYS[1] stock hash, KEYS[2] restocks hash (restock id -> quantity),
-- KEYS[3] holds hash, KEYS[4] held-at hash.
-- Returns {applied (1 or 0), available_after}.
local stock, restocks, holds, held_at = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local quantity, restock_id, location, mode = tonumber(ARGV[1]), ARGV[2], ARGV[3], ARGV[4]
if mode ~= 'add' and mode ~= 'set' then
  return redis.error_reply('ERR restock: the mode must be add or set')
end
if not quantity or quantity % 1 ~= 0 or quantity < 0 or (mode == 'add' and quantity < 1) then
  return redis.error_reply('ERR restock: the quantity must be a positive integer (or 0 to set)')
end
if restock_id ~= '' and redis.call('HEXISTS', restocks, restock_id) == 1 then
  return {0, tonumber(redis.call('HGET', stock, 'available') or 0) or 0}
end

local locations = {}
for _, field in ipairs(redis.call('HKEYS', stock)) do
  if string.sub(field, 1, 10) == 'available@' then locations[#locations + 1] = string.sub(field, 11) end
end
if location == '' and #locations > 0 then
  table.sort(locations)
  return redis.error_reply('ERR restock: ' .. stock .. ' is stocked per location (' .. table.concat(locations, ', ')
    .. '); say at which')
end

-- A count that is not an integer fails an add, before anything is written;
-- a set overwrites it.
local function count(field)
  local value = redis.call('HGET', stock, field)
  local number = tonumber(value or '0')
  if number and number % 1 == 0 then return number end
  if mode == 'set' then return 0 end
  return nil
end
local available = count('available')
if not available then
  return redis.error_reply('ERR restock: available is not an integer on ' .. stock)
end
if location ~= '' and #locations == 0 and mode == 'add' then location = '' end
if location ~= '' and #locations == 0 then
  redis.call('HSET', stock, 'available@' .. location, available,
    'reserved@' .. location, redis.call('HGET', stock, 'reserved') or 0)
  for _, order in ipairs(redis.call('HKEYS', holds)) do redis.call('HSET', held_at, order, location) end
end
if location == '' then
  available = mode == 'set' and quantity or available + quantity
else
  local before = count('available@' .. location)
  if not before then
    return redis.error_reply('ERR restock: available@' .. location .. ' is not an integer on ' .. stock)
  end
  local after = mode == 'set' and quantity or before + quantity
  redis.call('HSET', stock, 'available@' .. location, after)
  available = available + after - before
end
redis.call('HSET', stock, 'available', available)
if restock_id ~= '' then
  redis.call('HSET', restocks, restock_id, quantity)
end
return {1, available}
