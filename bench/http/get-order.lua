-- wrk script: GET /api/v1/orders/{id} of one stored order (BENCH_ORDER_ID).
-- BENCH_ORDER_ID=web-100234 wrk -t2 -c16 -d20s -s bench/http/get-order.lua http://127.0.0.1:8080
local id = os.getenv("BENCH_ORDER_ID") or "web-100234"
wrk.headers["Authorization"] = "Bearer bench-key"
wrk.path = "/api/v1/orders/" .. id

done = function(summary, latency, requests)
  io.write(string.format("non-2xx: %d\n", summary.errors.status))
end
