#!/usr/bin/env bash
# Runs bench/run_http_bench.sh for a second per scenario on a tiny seed and
# checks its table: every scenario has a row, every request got a 2xx answer,
# and the CPU columns (and, for writes, the consumers' catch-up time) are
# measured figures. The benchmark is not a timed test: this only keeps the
# script working between the runs recorded in docs/benchmarks.md.
#
#   tests/bench_smoke_test.sh RUN_HTTP_BENCH BUILD_DIR
set -euo pipefail
script=$1
build=$2

# Pinned (SERVER_CPUS, WRK_CPUS) as for the one-core figures of
# docs/benchmarks.md; unpinned runs differ only by not prefixing taskset.
table=$(USERS=3 TASKS=24 SEED_CONNECTIONS=2 THREADS=1 CONNECTIONS=4 DURATION=1s DRAIN_TIMEOUT=60 \
  SERVER_CPUS=0 WRK_CPUS=0 "$script" "$build")
echo "$table"
echo "$table" | grep -q '^pinned: server on CPUs 0, wrk on CPUs 0$' || { echo "no pinning line"; exit 1; }

echo "$table" | awk -F'|' '
  function number(field) { gsub(/ /, "", field); return field ~ /^[0-9]+(\.[0-9]+)?$/ }
  function trim(field) { gsub(/^ +| +$/, "", field); return field }
  /^\| `/ {
    rows++
    endpoint = trim($2)
    if (!number($3) || $3 + 0 <= 0) { print "no req/s for " endpoint; bad = 1 }
    if (trim($6) != "0" || trim($7) != "0") { print "failed requests for " endpoint; bad = 1 }
    write = endpoint ~ /^`(PATCH|POST) /
    if (write && !number($8)) { print "no catch-up time for " endpoint; bad = 1 }
    if (!write && trim($8) != "-") { print "a catch-up time for a read: " endpoint; bad = 1 }
    if (!number($9) || $9 + 0 <= 0) { print "no server CPU per request for " endpoint; bad = 1 }
    if (!number($10) || $10 + 0 <= 0) { print "no wrk CPU per request for " endpoint; bad = 1 }
  }
  END {
    if (rows != 5) { print "expected 5 scenario rows, got " rows; bad = 1 }
    exit bad
  }'
