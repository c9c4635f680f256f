-- wrk script: POST /api/v1/orders with a new order id every request.
-- wrk -t2 -c16 -d20s -s bench/http/place-orders.lua http://127.0.0.1:8080
-- OMS_API_KEYS must hold "bench-key" on the server.
local run = tostring(os.time())
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("prefix", "wrk-" .. run .. "-" .. counter .. "-")
end

function init(args)
  sent = 0
end

request = function()
  sent = sent + 1
  local body = string.format([[{"id":"%s%d","channel":"web","placed_at":"2026-11-22T10:00:00Z","currency":"USD",]] ..
    [["customer":{"name":"Ada Lovelace","email":"ada@example.com"},]] ..
    [["shipping_address":{"line1":"12 Analytical St","city":"London","postal_code":"N1 9GU","country":"GB"},]] ..
    [["lines":[{"sku":"MUG-BLUE","quantity":1,"unit_price":1250}],"shipping":{"service":"standard"},]] ..
    [["payment":{"method":"card","token":"tok_visa"}}]], prefix, sent)
  return wrk.format("POST", "/api/v1/orders",
    {["Authorization"] = "Bearer bench-key", ["Content-Type"] = "application/json"}, body)
end

done = function(summary, latency, requests)
  io.write(string.format("non-2xx: %d\n", summary.errors.status))
end
