-- Takes a cancelled order's lines off its picklist, once: the order stays
-- recorded as on that picklist (so a late pick does not put it on another)
-- and is added to the location's voided set.
-- KEYS[1] order -> picklist hash, KEYS[2] voided set; both share one
-- location's tag. ARGV: order id, key prefix of the picklists' line lists.
-- Returns the picklist id the lines were taken off, or false when the order is
-- on no picklist or was voided before.
local assigned, voided = KEYS[1], KEYS[2]
local order_id, prefix = ARGV[1], ARGV[2]
local picklist = redis.call('HGET', assigned, order_id)
if not picklist or redis.call('SADD', voided, order_id) == 0 then return false end
local list = prefix .. picklist
for _, entry in ipairs(redis.call('LRANGE', list, 0, -1)) do
  if cjson.decode(entry).order_id == order_id then
    redis.call('LREM', list, 1, entry)
    break
  end
end
return picklist
