-- GET /api/tasks/{id}: a random task, read by its owner.
dofile((os.getenv("TASKFLOW_BENCH_DIR") or "bench") .. "/common.lua")

local requests
local load = init
function init(args)
  load(args)
  requests = prepare(#tasks, function(i)
    local t = tasks[i]
    return request_head("GET", "/api/tasks/" .. t[2], t[1], false) .. "\r\n"
  end)
end

request = function()
  return requests[math.random(#requests)]
end
