-- Writes an effect marker of an order: 'claim' sets it only when it is not
-- set, 'record' sets it. A marker written after the order was settled takes
-- the order's remaining time to live, so that it expires with the order.
-- KEYS[1] effects hash, KEYS[2] order hash. ARGV: 'claim' or 'record', effect, value.
-- Returns 1 when this call set the marker (a record always does), else 0.
local effects, order = KEYS[1], KEYS[2]
local mode, effect, value = ARGV[1], ARGV[2], ARGV[3]
local written
if mode == 'claim' then
  written = redis.call('HSETNX', effects, effect, value)
elseif mode == 'record' then
  redis.call('HSET', effects, effect, value)
  written = 1
else
  return redis.error_reply("ERR effect: the mode must be 'claim' or 'record'")
end
local ttl = redis.call('PTTL', order)
if ttl > 0 then
  redis.call('PEXPIRE', effects, ttl)
end
return written
