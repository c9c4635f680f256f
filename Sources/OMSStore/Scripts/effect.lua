-- Writes an effect marker of an order, once the effect is done, or, with a
-- required status, as a claim that holds only while the order is in it (ship
-- claims the label of a picked order, and a cancel then refuses). A marker
-- written after the order was settled takes the order's remaining time to
-- live, so that it expires with the order.
-- KEYS[1] effects hash, KEYS[2] order hash. ARGV: effect, value, required
-- status ('' or absent: none).
-- Returns 1, or {'refused', status} when the order is not in the required status.
local effects, order = KEYS[1], KEYS[2]
local required = ARGV[3] or ''
if required ~= '' then
  local status = redis.call('HGET', order, 'status')
  if status ~= required then return {'refused', status or ''} end
end
redis.call('HSET', effects, ARGV[1], ARGV[2])
local ttl = redis.call('PTTL', order)
if ttl > 0 then
  redis.call('PEXPIRE', effects, ttl)
end
return 1
