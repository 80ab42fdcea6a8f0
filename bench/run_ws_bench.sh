#!/usr/bin/env bash
# Live-update benchmark (see docs/benchmarks.md): starts BUILD_DIR/taskflow on
# a fresh SQLite database (all roles in one process) and runs
# BUILD_DIR/bench/taskflow_ws_bench against it: commit → WebSocket frame
# latency (p50/p99), then frames/s under concurrent writers.
#
#   bench/run_ws_bench.sh [BUILD_DIR]            (default BUILD_DIR: ./build)
#
# Environment (defaults in brackets):
#   LATENCY_EVENTS [2000]  WRITERS [4]  EVENTS_PER_WRITER [1000]  CONNECTIONS [2]
#   HTTP_THREADS [server default]  LOG_LEVEL [warn]
#   KAFKA_BOOTSTRAP_SERVERS: set, the server runs with TASKFLOW_BUS=kafka against
#     that broker (make kafka-up gives 127.0.0.1:19092), else the in-process bus.
#   KEEP=1: keep the temp directory (database, server log).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
binary=$build/taskflow
bench=$build/bench/taskflow_ws_bench
[ -x "$binary" ] || { echo "no binary at $binary (make build)" >&2; exit 1; }
[ -x "$bench" ] || { echo "no $bench (ninja -C $build taskflow_ws_bench)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/taskflow-ws-bench-XXXXXX")
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
env_args=(TASKFLOW_HTTP_ADDR=127.0.0.1:$port TASKFLOW_DATABASE_URL=sqlite:///$work/taskflow.db
          TASKFLOW_LOG_LEVEL=${LOG_LEVEL:-warn}
          BETTER_AUTH_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'))
[ -n "${HTTP_THREADS:-}" ] && env_args+=(TASKFLOW_HTTP_THREADS=$HTTP_THREADS)
bus=in-process
if [ -n "${KAFKA_BOOTSTRAP_SERVERS:-}" ]; then
  bus="kafka ($KAFKA_BOOTSTRAP_SERVERS)"
  env_args+=(TASKFLOW_BUS=kafka KAFKA_BOOTSTRAP_SERVERS=$KAFKA_BOOTSTRAP_SERVERS)
  env KAFKA_BOOTSTRAP_SERVERS="$KAFKA_BOOTSTRAP_SERVERS" "$binary" topics create >/dev/null
fi
env "${env_args[@]}" "$binary" serve 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break
  sleep 0.1
done
curl -sf "http://127.0.0.1:$port/ready" >/dev/null || { cat "$work/server.log" >&2; exit 1; }

echo "bus: $bus; $(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
"$bench" "$port" "${LATENCY_EVENTS:-2000}" "${WRITERS:-4}" "${EVENTS_PER_WRITER:-1000}" \
  "${CONNECTIONS:-2}"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
