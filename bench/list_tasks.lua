-- GET /api/tasks filtered and sorted, one page of 20, for a random user.
dofile((os.getenv("TASKFLOW_BENCH_DIR") or "bench") .. "/common.lua")

get_as_random_user(
  "/api/tasks?status=pending&priority=P1&priority=P2&sort_by=due_at&sort_order=asc&limit=20")
