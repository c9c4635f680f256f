-- Repairs one SKU's reservations (`oms stock reconcile --fix`): removes each
-- stale hold still present, gives released units back to available (at the
-- hold's location too, when it is at one), and sets reserved, and reserved at
-- each location, to the sum of the holds that remain there. For a SKU stocked
-- per location, available becomes the sum of the locations' available.
-- KEYS[1] stock hash, KEYS[2] holds hash (order id -> quantity), KEYS[3]
-- held-at hash (order id -> location).
-- ARGV: order id, action ('release' or 'commit'), repeated.
-- Returns {reserved_before, reserved_after, released_to_available, holds_removed}.
local stock, holds, held_at = KEYS[1], KEYS[2], KEYS[3]
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
    local location = redis.call('HGET', held_at, ARGV[i])
    redis.call('HDEL', holds, ARGV[i])
    redis.call('HDEL', held_at, ARGV[i])
    removed = removed + 1
    if ARGV[i + 1] == 'release' then
      released = released + (tonumber(held) or 0)
      if location then redis.call('HINCRBY', stock, 'available@' .. location, tonumber(held) or 0) end
    end
  end
end
local remaining, here, located, available_sum = 0, {}, false, 0
for _, field in ipairs(redis.call('HKEYS', stock)) do
  if string.sub(field, 1, 9) == 'reserved@' then here[string.sub(field, 10)] = 0 end
  if string.sub(field, 1, 10) == 'available@' then
    located = true
    available_sum = available_sum + (tonumber(redis.call('HGET', stock, field)) or 0)
  end
end
local entries = redis.call('HGETALL', holds)
for i = 1, #entries, 2 do
  local quantity = tonumber(entries[i + 1]) or 0
  remaining = remaining + quantity
  local location = redis.call('HGET', held_at, entries[i])
  if location then here[location] = (here[location] or 0) + quantity end
end
local before = tonumber(redis.call('HGET', stock, 'reserved') or '0') or 0
redis.call('HSET', stock, 'reserved', remaining)
for location, quantity in pairs(here) do redis.call('HSET', stock, 'reserved@' .. location, quantity) end
if located then
  redis.call('HSET', stock, 'available', available_sum)
elseif released > 0 then
  redis.call('HINCRBY', stock, 'available', released)
end
return {before, remaining, released, removed}
