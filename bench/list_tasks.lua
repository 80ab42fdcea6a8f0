-- GET /api/tasks filtered and sorted, one page of 20, for a random user.
dofile((os.getenv("TASKFLOW_BENCH_DIR") or "bench") .. "/common.lua")

local path = "/api/tasks?status=pending&priority=P1&priority=P2&sort_by=due_at&sort_order=asc&limit=20"

local requests
local load = init
function init(args)
  load(args)
  requests = prepare(#tokens, function(user)
    return request_head("GET", path, user, false) .. "\r\n"
  end)
end

request = function()
  return requests[math.random(#requests)]
end
