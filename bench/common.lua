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

function random_user()
  return math.random(#tokens)
end

function random_task()
  return tasks[math.random(#tasks)]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect, e.read, e.write, e.timeout))
end
