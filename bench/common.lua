-- Shared by the wrk scripts of run_http_bench.sh: loads the users and tasks
-- that seed.py wrote (directory $TASKFLOW_BENCH_DATA), picks random ones, and
-- prints one machine-readable RESULT line when wrk is done.

local data_dir = os.getenv("TASKFLOW_BENCH_DATA") or "."
tokens = {}  -- user index (from 1) -> bearer token
tasks = {}   -- array of {user index, task id}

local function load_data()
  for line in io.lines(data_dir .. "/users.txt") do
    local _, token = line:match("^(%S+) (%S+)$")
    tokens[#tokens + 1] = token
  end
  for line in io.lines(data_dir .. "/tasks.txt") do
    local user, id = line:match("^(%d+) (%S+)$")
    tasks[#tasks + 1] = {tonumber(user), id}
  end
end

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

function init(args)
  math.randomseed(os.time() * 1000 + (thread_id or 0))
  load_data()
end

function auth(user)
  return "Bearer " .. tokens[user]
end

-- wrk shares the two cores with the server, so every microsecond its Lua
-- spends per request is one the server does not get: building a request with
-- wrk.format (or even concatenating and hashing a fresh string) costs wrk
-- several microseconds. The scripts build each distinct request head once, in
-- init() (before the measured requests), and per request only index an array
-- and, for writes, append a body.

-- The request line and headers of METHOD PATH as USER, up to (not including)
-- the blank line; with Content-Type for requests that carry a body.
function request_head(method, path, user, with_body)
  local head = method .. " " .. path .. " HTTP/1.1\r\nHost: " .. wrk.host .. ":" .. wrk.port ..
               "\r\nAuthorization: " .. auth(user) .. "\r\n"
  if with_body then head = head .. "Content-Type: application/json\r\n" end
  return head
end

-- A complete request from a head made by request_head(..., true) and a body.
function with_body(head, body)
  return head .. "Content-Length: " .. #body .. "\r\n\r\n" .. body
end

-- heads[i] = make(i) for every i in 1..count, built once at init().
function prepare(count, make)
  local heads = {}
  for i = 1, count do heads[i] = make(i) end
  return heads
end

-- Makes the script GET `path` as a random user per request (each user's
-- request built once, in init()).
function get_as_random_user(path)
  local requests
  local load = init
  init = function(args)
    load(args)
    requests = prepare(#tokens, function(user)
      return request_head("GET", path, user, false) .. "\r\n"
    end)
  end
  request = function()
    return requests[math.random(#requests)]
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect, e.read, e.write, e.timeout))
end
