-- Adds ARGV[1] units to one SKU's available stock, once per restock id
-- ARGV[2] ('' when the restock has none and always counts).
-- KEYS[1] stock hash, KEYS[2] restocks hash (restock id -> quantity).
-- Returns {applied (1 or 0), available_after}.
local stock, restocks = KEYS[1], KEYS[2]
local quantity, restock_id = tonumber(ARGV[1]), ARGV[2]
if not quantity or quantity < 1 or quantity % 1 ~= 0 then
  return redis.error_reply('ERR restock: the quantity must be a positive integer')
end
if restock_id ~= '' and redis.call('HEXISTS', restocks, restock_id) == 1 then
  return {0, tonumber(redis.call('HGET', stock, 'available') or 0) or 0}
end

-- The first write: when available is not an integer it fails, and nothing is written.
local available = redis.call('HINCRBY', stock, 'available', quantity)
if restock_id ~= '' then
  redis.call('HSET', restocks, restock_id, quantity)
end
return {1, available}
