-- PATCH /api/tasks/{id}: a new title for a random task, by its owner.
dofile((os.getenv("TASKFLOW_BENCH_DIR") or "bench") .. "/common.lua")

request = function()
  local t = random_task()
  local body = string.format('{"title":"renamed %d"}', math.random(1000000))
  return wrk.format("PATCH", "/api/tasks/" .. t[2],
                    {["Authorization"] = auth(t[1]), ["Content-Type"] = "application/json"}, body)
end
