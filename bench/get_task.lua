-- GET /api/tasks/{id}: a random task, read by its owner.
dofile((os.getenv("TASKFLOW_BENCH_DIR") or "bench") .. "/common.lua")

request = function()
  local t = random_task()
  return wrk.format("GET", "/api/tasks/" .. t[2], {["Authorization"] = auth(t[1])})
end
