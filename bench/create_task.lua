-- POST /api/tasks: a new task with a priority and a due date for a random user.
dofile((os.getenv("TASKFLOW_BENCH_DIR") or "bench") .. "/common.lua")

local priorities = {"P1", "P2", "P3", "P4"}

local heads
local load = init
function init(args)
  load(args)
  heads = prepare(#tokens, function(user) return request_head("POST", "/api/tasks", user, true) end)
end

request = function()
  local body = string.format(
    '{"title":"bench task %d","priority":"%s","due_at":"2031-%02d-%02dT09:00:00Z"}',
    math.random(1000000), priorities[math.random(4)], math.random(12), math.random(28))
  return with_body(heads[math.random(#heads)], body)
end
