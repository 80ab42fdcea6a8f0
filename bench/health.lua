-- GET /health through the same request path as the other scripts (a head
-- picked at random per request, built once in init()): no auth check, no
-- database, a tiny answer. Its req/s is the ceiling wrk and the server's
-- HTTP layer leave any endpoint on this machine.
dofile((os.getenv("TASKFLOW_BENCH_DIR") or "bench") .. "/common.lua")

local requests
local load = init
function init(args)
  load(args)
  requests = prepare(#tokens, function(user)
    return request_head("GET", "/health", user, false) .. "\r\n"
  end)
end

request = function()
  return requests[math.random(#requests)]
end
