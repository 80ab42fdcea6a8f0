-- PATCH /api/tasks/{id}: a new title for a random task, by its owner.
dofile((os.getenv("TASKFLOW_BENCH_DIR") or "bench") .. "/common.lua")

local heads
local load = init
function init(args)
  load(args)
  heads = prepare(#tasks, function(i)
    local t = tasks[i]
    return request_head("PATCH", "/api/tasks/" .. t[2], t[1], true)
  end)
end

request = function()
  local body = string.format('{"title":"renamed %d"}', math.random(1000000))
  return with_body(heads[math.random(#heads)], body)
end
