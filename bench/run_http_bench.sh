#!/usr/bin/env bash
# HTTP benchmark of taskflow with wrk (see docs/benchmarks.md).
#
#   bench/run_http_bench.sh [BUILD_DIR]          (default BUILD_DIR: ./build)
#
# Starts BUILD_DIR/taskflow on a fresh SQLite database in a temp directory (or
# on DATABASE_URL, e.g. a PostgreSQL database: it must be empty or migrated),
# seeds it through the API (bench/seed.py: TASKS tasks across USERS users,
# each with a token minted with the server's secret), then runs wrk once per
# endpoint and prints a markdown table of requests/s and p50/p99 latency.
# Fails when any request got a non-2xx answer or a socket error. After each
# write scenario it reports how long the event consumers took to catch up.
#
# It also reports the CPU time each request cost the server (counted until the
# consumers caught up, so a backlog cannot hide) and wrk itself: wrk shares the
# cores, so its own cost bounds what any endpoint can reach. The `health`
# scenario (GET /health through the same Lua request path: no auth, no
# database) measures that ceiling on the machine at hand.
#
# Environment (defaults in brackets):
#   DURATION [20s]  THREADS [2]  CONNECTIONS [64]  USERS [1000]  TASKS [100000]
#   SEED_CONNECTIONS [16]  HTTP_THREADS [server default]  LOG_LEVEL [warn]
#   SCENARIOS ["health get_task list_tasks patch_task create_task"]
#   DRAIN_TIMEOUT [900]: seconds to wait for the consumers to catch up (SQLite)
#   DATABASE_URL [a fresh SQLite file]: the server's TASKFLOW_DATABASE_URL, e.g.
#     postgresql://… (eval "$(scripts/peers/pg-up --env)" gives one);
#     DB_POOL_SIZE [server default]: its TASKFLOW_DB_POOL_SIZE
#   TASKFLOW_BENCH_URL + TASKFLOW_BENCH_SECRET: bench an already running server
#     (any backend) instead of starting one.
#   KEEP=1: keep the temp directory (database, seed files, wrk output, and
#     the secret the tokens were minted with, mode 0600).
#   SERVER_CPUS, WRK_CPUS [unset]: CPU lists (taskset -c) for the server and
#     for wrk, e.g. 0 and 1: what the server does on its own cores, without wrk
#     taking a share of them (SERVER_CPUS only applies to a server started here).
#   REUSE=DIR: skip seeding; copy the database and seed files of a directory
#     kept by an earlier KEEP=1 run (SQLite only) and reuse its secret, so
#     that every run starts from the same data.
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$bench_dir/.." && pwd)
build=${1:-$root/build}
DURATION=${DURATION:-20s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
USERS=${USERS:-1000}
TASKS=${TASKS:-100000}
SEED_CONNECTIONS=${SEED_CONNECTIONS:-16}
LOG_LEVEL=${LOG_LEVEL:-warn}
SCENARIOS=${SCENARIOS:-health get_task list_tasks patch_task create_task}

command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }
server_pin=()
wrk_pin=()
[ -n "${SERVER_CPUS:-}" ] && server_pin=(taskset -c "$SERVER_CPUS")
[ -n "${WRK_CPUS:-}" ] && wrk_pin=(taskset -c "$WRK_CPUS")
work=$(mktemp -d "${TMPDIR:-/tmp}/taskflow-bench-XXXXXX")
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

if [ -n "${TASKFLOW_BENCH_URL:-}" ]; then
  url=$TASKFLOW_BENCH_URL
  secret=${TASKFLOW_BENCH_SECRET:?TASKFLOW_BENCH_URL needs TASKFLOW_BENCH_SECRET}
  backend="external ($url)"
else
  binary=$build/taskflow
  [ -x "$binary" ] || { echo "no binary at $binary (make build)" >&2; exit 1; }
  if [ -n "${REUSE:-}" ]; then
    [ -z "${DATABASE_URL:-}" ] || { echo "REUSE works with the SQLite default only" >&2; exit 1; }
    for f in secret users.txt tasks.txt taskflow.db; do
      [ -f "$REUSE/$f" ] || { echo "REUSE: $REUSE/$f is missing (keep a run with KEEP=1)" >&2; exit 1; }
    done
    cp "$REUSE"/{users.txt,tasks.txt,taskflow.db} "$work/"
    secret=$(cat "$REUSE/secret")
  else
    secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
  fi
  (umask 077 && printf '%s' "$secret" >"$work/secret")
  # A free port, so the server may log at warn (no per-request info lines).
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  url=http://127.0.0.1:$port
  database_url=${DATABASE_URL:-sqlite:///$work/taskflow.db}
  env_args=("TASKFLOW_HTTP_ADDR=127.0.0.1:$port" "TASKFLOW_DATABASE_URL=$database_url"
            "BETTER_AUTH_SECRET=$secret" "TASKFLOW_LOG_LEVEL=$LOG_LEVEL")
  [ -n "${HTTP_THREADS:-}" ] && env_args+=("TASKFLOW_HTTP_THREADS=$HTTP_THREADS")
  [ -n "${DB_POOL_SIZE:-}" ] && env_args+=("TASKFLOW_DB_POOL_SIZE=$DB_POOL_SIZE")
  env "${env_args[@]}" "${server_pin[@]}" "$binary" serve 2>"$work/server.log" &
  server_pid=$!
  for _ in $(seq 100); do
    curl -fsS "$url/ready" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.1
  done
  curl -fsS "$url/ready" >/dev/null || { echo "server not ready" >&2; cat "$work/server.log" >&2; exit 1; }
  case $database_url in
    sqlite:*) backend="SQLite ($work/taskflow.db)" ;;
    # Never print the URL: it holds the password.
    *) backend="PostgreSQL (pool ${DB_POOL_SIZE:-default})" ;;
  esac
fi

if [ -n "${REUSE:-}" ]; then
  TASKS=$(wc -l <"$work/tasks.txt")
  USERS=$(wc -l <"$work/users.txt")
  seed_note="reused from $REUSE"
else
  echo "seeding $TASKS tasks across $USERS users ..." >&2
  seed_start=$(date +%s.%N)
  python3 "$bench_dir/seed.py" --url "$url" --secret "$secret" --out "$work" \
    --users "$USERS" --tasks "$TASKS" --connections "$SEED_CONNECTIONS"
  seed_note="seeded in $(awk -v a="$seed_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }') s"
fi

# Every task write writes events, which the server's consumer groups (audit,
# recurring, notification, realtime) work through in the background. With the
# SQLite database at hand, wait_for_consumers waits (bounded) until every event
# is published and every group's position has reached the last event of its
# topics, and prints how long that took: before measuring (the seed's events),
# and after each write scenario, whose req/s would otherwise hide a backlog
# worked off after wrk stopped. Without the database (PostgreSQL, a running
# server) it prints "n/a".
sqlite_db=$work/taskflow.db
backlog_sql="SELECT (SELECT count(*) FROM outbox WHERE published_at IS NULL)
  + (SELECT count(*) FROM consumer_offsets c
     WHERE c.position < (SELECT max(id) FROM outbox o WHERE o.topic = c.topic))
  + (SELECT count(*) = 0 FROM consumer_offsets);"
wait_for_consumers() {
  if [ ! -f "$sqlite_db" ] || ! command -v sqlite3 >/dev/null; then echo n/a; return; fi
  local start backlog
  start=$(date +%s.%N)
  while :; do
    backlog=$(sqlite3 -readonly "$sqlite_db" "$backlog_sql" 2>/dev/null || echo 1)
    [ "$backlog" = 0 ] && break
    if [ "$(awk -v a="$start" -v b="$(date +%s.%N)" -v t="${DRAIN_TIMEOUT:-900}" 'BEGIN { print (b - a > t) }')" = 1 ]; then
      echo "the consumers did not catch up within ${DRAIN_TIMEOUT:-900} s" >&2
      return 1
    fi
    sleep 0.1
  done
  awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'
}
echo "waiting for the consumers to work through the seed's events ..." >&2
seed_drain=$(wait_for_consumers) || exit 1
echo "caught up after $seed_drain s" >&2

# CPU time (user + system, clock ticks) the server has used so far; empty
# when the server is not ours to look at.
server_ticks() {
  if [ -n "$server_pid" ]; then awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; fi
}
clock_ticks=$(getconf CLK_TCK)
# Microseconds of CPU per request from CPU seconds (a sum such as "1.2 0.3"
# allowed), or n/a.
per_request_us() { # SECONDS REQUESTS
  if [ -z "$1" ]; then echo n/a; return; fi
  awk -v s="$1" -v n="$2" 'BEGIN { split(s, t, " "); printf "%.0f", (t[1] + t[2]) * 1e6 / n }'
}

declare -A labels=(
  [health]="GET /health (ceiling: no auth, no database)"
  [get_task]="GET /api/tasks/{id}"
  [list_tasks]="GET /api/tasks (filtered, sorted, 20 items)"
  [patch_task]="PATCH /api/tasks/{id}"
  [create_task]="POST /api/tasks"
)
rows=()
failed=0
for scenario in $SCENARIOS; do
  echo "wrk $scenario: $THREADS threads, $CONNECTIONS connections, $DURATION ..." >&2
  ticks_before=$(server_ticks)
  # bash's `time` reports wrk's own user + system seconds (TIMEFORMAT).
  wrk_cpu=$( { TIMEFORMAT='%U %S'; time TASKFLOW_BENCH_DIR=$bench_dir TASKFLOW_BENCH_DATA=$work \
    "${wrk_pin[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$bench_dir/$scenario.lua" "$url" \
    >"$work/$scenario.txt" 2>&1; } 2>&1 ) || { cat "$work/$scenario.txt" >&2; failed=1; continue; }
  result=$(grep '^RESULT ' "$work/$scenario.txt" || true)
  if [ -z "$result" ]; then cat "$work/$scenario.txt" >&2; failed=1; continue; fi
  # RESULT requests=… duration_us=… p50_us=… p99_us=… non2xx=… connect=… read=… write=… timeout=…
  declare -A r=()
  for kv in ${result#RESULT }; do r[${kv%%=*}]=${kv#*=}; done
  socket_errors=$(( r[connect] + r[read] + r[write] + r[timeout] ))
  rows+=("$(awk -v label="${labels[$scenario]}" -v n="${r[requests]}" -v d="${r[duration_us]}" \
              -v p50="${r[p50_us]}" -v p99="${r[p99_us]}" -v bad="${r[non2xx]}" -v se="$socket_errors" \
    'BEGIN { printf "| `%s` | %.0f | %.2f | %.2f | %d | %d |", label, n / (d / 1e6), p50 / 1000, p99 / 1000, bad, se }')")
  case $scenario in
    patch_task | create_task) caught_up=$(wait_for_consumers) || exit 1 ;;
    *) caught_up="-" ;;
  esac
  ticks_after=$(server_ticks)
  server_seconds=
  if [ -n "$ticks_before" ]; then
    server_seconds=$(awk -v t="$(( ticks_after - ticks_before ))" -v hz="$clock_ticks" 'BEGIN { print t / hz }')
  fi
  server_us=$(per_request_us "$server_seconds" "${r[requests]}")
  wrk_us=$(per_request_us "$wrk_cpu" "${r[requests]}")
  rows[-1]+=" $caught_up | $server_us | $wrk_us |"
  if [ "${r[non2xx]}" -ne 0 ] || [ "$socket_errors" -ne 0 ]; then failed=1; fi
  unset r
done

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
echo
echo "taskflow $commit, $backend, $TASKS tasks / $USERS users (${seed_note});"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION on $(nproc) cores ($cpu), $(date -u +%Y-%m-%d)"
if [ -n "${SERVER_CPUS:-}${WRK_CPUS:-}" ]; then
  echo "pinned: server on CPUs ${SERVER_CPUS:-any}, wrk on CPUs ${WRK_CPUS:-any}"
fi
echo
echo "The list query: GET /api/tasks?status=pending&priority=P1&priority=P2&sort_by=due_at&sort_order=asc&limit=20"
echo
echo "| endpoint | req/s | p50 (ms) | p99 (ms) | non-2xx | socket errors | consumers caught up after (s) | server CPU/request (µs) | wrk CPU/request (µs) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
if [ "$failed" -ne 0 ]; then
  echo "FAILED: some requests were not answered with 2xx (see above)" >&2
  exit 1
fi
