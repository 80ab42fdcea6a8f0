-- POST /api/tasks: a new task with a priority and a due date for a random user.
dofile((os.getenv("TASKFLOW_BENCH_DIR") or "bench") .. "/common.lua")

local priorities = {"P1", "P2", "P3", "P4"}

request = function()
  local body = string.format(
    '{"title":"bench task %d","priority":"%s","due_at":"2031-%02d-%02dT09:00:00Z"}',
    math.random(1000000), priorities[math.random(4)], math.random(12), math.random(28))
  return wrk.format("POST", "/api/tasks",
                    {["Authorization"] = auth(random_user()), ["Content-Type"] = "application/json"},
                    body)
end
