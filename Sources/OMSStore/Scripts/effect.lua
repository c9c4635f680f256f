-- Writes an effect marker of an order, once the effect is done. A marker
-- written after the order was settled takes the order's remaining time to
-- live, so that it expires with the order.
-- KEYS[1] effects hash, KEYS[2] order hash. ARGV: effect, value.
-- Returns 1.
local effects, order = KEYS[1], KEYS[2]
redis.call('HSET', effects, ARGV[1], ARGV[2])
local ttl = redis.call('PTTL', order)
if ttl > 0 then
  redis.call('PEXPIRE', effects, ttl)
end
return 1
