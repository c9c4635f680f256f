-- Counts the orders of one customer email within the last window, this one
-- included, once per order whatever is redelivered: a sorted set of order ids
-- scored by when each was first seen.
-- KEYS[1] the email's sorted set. ARGV: order id, now (ms), window (ms).
-- Returns the count.
local key, order_id = KEYS[1], ARGV[1]
local now, window = tonumber(ARGV[2]), tonumber(ARGV[3])
if not now or not window or window < 1 then
  return redis.error_reply('ERR recent_orders: now and window must be numbers, the window 1 or more')
end
redis.call('ZADD', key, 'NX', now, order_id)
redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. (now - window))
redis.call('PEXPIRE', key, window)
return redis.call('ZCARD', key)
