-- Repairs one SKU's reservations (`oms stock reconcile --fix`): removes each
-- stale hold still present, gives released units back to available, and
-- sets reserved to the sum of the holds that remain.
-- KEYS[1] stock hash, KEYS[2] holds hash (order id -> quantity).
-- ARGV: order id, action ('release' or 'commit'), repeated.
-- Returns {reserved_before, reserved_after, released_to_available, holds_removed}.
local stock, holds = KEYS[1], KEYS[2]
if #ARGV % 2 ~= 0 then
  return redis.error_reply('ERR repair_holds: arguments come in pairs of order id and action')
end
for i = 2, #ARGV, 2 do
  if ARGV[i] ~= 'release' and ARGV[i] ~= 'commit' then
    return redis.error_reply('ERR repair_holds: the action must be release or commit')
  end
end
local released, removed = 0, 0
for i = 1, #ARGV, 2 do
  local held = redis.call('HGET', holds, ARGV[i])
  if held then
    redis.call('HDEL', holds, ARGV[i])
    removed = removed + 1
    if ARGV[i + 1] == 'release' then released = released + (tonumber(held) or 0) end
  end
end
local remaining = 0
for _, value in ipairs(redis.call('HVALS', holds)) do remaining = remaining + (tonumber(value) or 0) end
local before = tonumber(redis.call('HGET', stock, 'reserved') or '0') or 0
redis.call('HSET', stock, 'reserved', remaining)
if released > 0 then redis.call('HINCRBY', stock, 'available', released) end
return {before, remaining, released, removed}
