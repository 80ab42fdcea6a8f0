#!/usr/bin/env bash
# Event pipeline benchmark (see docs/benchmarks.md): events/s from the API's
# commit, through the outbox and the bus, to a consumer's side effect (the
# audit service's activity_log row), for the in-process bus and for Kafka.
#
#   bench/run_event_bench.sh [BUILD_DIR]          (default BUILD_DIR: ./build)
#
# For each bus: a fresh SQLite database in a temp directory, `taskflow serve`
# twice on it, as separate processes: the api role (HTTP, outbox, relay) and
# the audit role (a consumer: one activity_log row per task-event, with its
# processed_events record, in one transaction). Kafka: a broker of its own
# (scripts/peers/kafka-up in a temp dir, the topics made by kafka-topics),
# stopped afterwards. wrk creates tasks (POST /api/tasks, one task-event each)
# for DURATION; then the script waits until the audit service has applied
# every task-event. It prints a markdown row per bus:
#   creates/s        task-events committed per second while wrk ran
#   side effects/s   task-events committed / (last activity row - wrk start)
#   lag              seconds from the end of the load to the last activity row
# Fails when a request got a non-2xx answer, or the consumer does not catch
# up within DRAIN_TIMEOUT seconds.
#
# Environment (defaults in brackets):
#   BUSES ["in-process kafka"]  DURATION [20s]  THREADS [2]  CONNECTIONS [16]
#   USERS [100]  LOG_LEVEL [warn]  DRAIN_TIMEOUT [600]  KEEP=1 keeps the temp dir.
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$bench_dir/.." && pwd)
build=${1:-$root/build}
BUSES=${BUSES:-in-process kafka}
DURATION=${DURATION:-20s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}
USERS=${USERS:-100}
LOG_LEVEL=${LOG_LEVEL:-warn}
DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-600}

binary=$build/taskflow
[ -x "$binary" ] || { echo "no binary at $binary (make build)" >&2; exit 1; }
for tool in wrk sqlite3 curl python3; do
  command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/taskflow-event-bench-XXXXXX")
pids=()
kafka_dir=
cleanup() {
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  pids=()
  if [ -n "$kafka_dir" ]; then "$root/scripts/peers/kafka-down" --dir "$kafka_dir" || true; fi
  kafka_dir=
}
finish() {
  cleanup
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap finish EXIT

now() { date +%s.%N; }
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_serve NAME ROLES ENV...: a serve process on a free port; waits for
# /ready; sets served_url.
start_serve() {
  local name=$1 roles=$2 port
  shift 2
  port=$(free_port)
  env "TASKFLOW_HTTP_ADDR=127.0.0.1:$port" "TASKFLOW_ROLES=$roles" "$@" "$binary" serve \
    >"$run/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 300); do
    curl -fsS "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -fsS "http://127.0.0.1:$port/ready" >/dev/null || {
    echo "$name not ready" >&2
    cat "$run/$name.log" >&2
    exit 1
  }
  served_url=http://127.0.0.1:$port
}

count() { sqlite3 -readonly "$db" "$1" 2>/dev/null || echo -1; }
events_sql="SELECT count(*) FROM outbox WHERE topic = 'task-events'"
applied_sql="SELECT count(*) FROM activity_log"

# wait_drained: until every task-event committed so far has its activity row.
wait_drained() {
  local start events applied
  start=$(date +%s)
  while :; do
    events=$(count "$events_sql")
    applied=$(count "$applied_sql")
    [ "$events" -ge 0 ] && [ "$events" = "$applied" ] && return 0
    if [ $(($(date +%s) - start)) -gt "$DRAIN_TIMEOUT" ]; then
      echo "the audit service did not catch up ($applied of $events) within $DRAIN_TIMEOUT s" >&2
      exit 1
    fi
    sleep 0.05
  done
}

rows=()
for bus in $BUSES; do
  run=$work/$bus
  mkdir -p "$run"
  db=$run/taskflow.db
  secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
  common=("TASKFLOW_DATABASE_URL=sqlite:///$db" "BETTER_AUTH_SECRET=$secret"
          "TASKFLOW_LOG_LEVEL=$LOG_LEVEL")
  case $bus in
    kafka)
      echo "starting a Kafka broker ..." >&2
      eval "$("$root/scripts/peers/kafka-up" --env)"
      kafka_dir=${KAFKA_DIR:?kafka-up printed no KAFKA_DIR}
      "$root/scripts/peers/kafka-topics" --dir "$kafka_dir" >/dev/null
      common+=("TASKFLOW_BUS=kafka" "KAFKA_BOOTSTRAP_SERVERS=$KAFKA_BOOTSTRAP_SERVERS")
      ;;
    in-process) common+=("TASKFLOW_BUS=in-process") ;;
    *) echo "unknown bus: $bus" >&2; exit 2 ;;
  esac
  start_serve api api "${common[@]}"
  url=$served_url
  start_serve audit audit "${common[@]}"

  echo "[$bus] seeding $USERS users ..." >&2
  python3 "$bench_dir/seed.py" --url "$url" --secret "$secret" --out "$run" \
    --users "$USERS" --tasks "$USERS" --completed 0 >/dev/null
  wait_drained
  events_before=$(count "$events_sql")

  echo "[$bus] wrk create_task: $THREADS threads, $CONNECTIONS connections, $DURATION ..." >&2
  load_start=$(now)
  TASKFLOW_BENCH_DIR=$bench_dir TASKFLOW_BENCH_DATA=$run \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$bench_dir/create_task.lua" "$url" \
    >"$run/wrk.txt" 2>&1 || { cat "$run/wrk.txt" >&2; exit 1; }
  load_end=$(now)
  result=$(grep '^RESULT ' "$run/wrk.txt" || true)
  [ -n "$result" ] || { cat "$run/wrk.txt" >&2; exit 1; }
  declare -A r=()
  for kv in ${result#RESULT }; do r[${kv%%=*}]=${kv#*=}; done
  if [ "${r[non2xx]}" -ne 0 ]; then
    echo "[$bus] ${r[non2xx]} requests did not answer 2xx" >&2
    exit 1
  fi
  wait_drained
  drained=$(now)
  events=$(($(count "$events_sql") - events_before))
  rows+=("$(awk -v bus="$bus" -v n="$events" -v a="$load_start" -v b="$load_end" -v c="$drained" \
    'BEGIN { printf "| %s | %d | %.0f | %.0f | %.1f |", bus, n, n / (b - a), n / (c - a), c - b }')")
  unset r
  cleanup
done

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
echo
echo "taskflow $commit; api and audit roles as two processes on one SQLite file;"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION POST /api/tasks over $USERS users;"
echo "$(nproc) cores ($cpu), load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| bus | task-events | creates/s (API) | side effects/s (commit → activity_log) | lag after the load (s) |"
echo "|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
