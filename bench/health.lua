-- GET /health through the same request path as the other scripts (a head
-- picked at random per request, built once in init()): no auth check, no
-- database, a tiny answer. Its req/s is the ceiling wrk and the server's HTTP
-- layer leave any endpoint on this machine.
dofile((os.getenv("TASKFLOW_BENCH_DIR") or "bench") .. "/common.lua")

get_as_random_user("/health")
