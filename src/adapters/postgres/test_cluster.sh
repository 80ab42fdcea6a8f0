#!/usr/bin/env bash
# The throwaway PostgreSQL server of the CTest fixture `taskflow_postgres`
# (src/adapters/postgres/CMakeLists.txt): one per test run, shared by every
# test that needs a server; each test makes its own database on it.
#
#   test_cluster.sh up FILE     start it (scripts/peers/pg-up) and write its
#                               TASKFLOW_DATABASE_URL, PG_ADMIN_URL, PG_DIR to FILE
#   test_cluster.sh down FILE   stop it (scripts/peers/pg-down removes its temp dir)
#                               and remove FILE
#
# `up` after an interrupted run reuses the server FILE still names.
set -euo pipefail

peers=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../scripts/peers" && pwd)
[ $# -eq 2 ] || { echo "usage: $0 up|down FILE" >&2; exit 2; }
command=$1 file=$2

previous_dir() {
  if [ -f "$file" ]; then sed -n 's/^PG_DIR=//p' "$file"; fi
}

case $command in
  up)
    mkdir -p "$(dirname "$file")"
    dir=$(previous_dir)
    args=()
    if [ -n "$dir" ] && [ -d "$dir" ]; then args=(--dir "$dir"); fi
    umask 077  # the file holds passwords
    "$peers/pg-up" --env "${args[@]}" >"$file.tmp"
    mv -f "$file.tmp" "$file"
    ;;
  down)
    dir=$(previous_dir)
    if [ -n "$dir" ]; then "$peers/pg-down" --dir "$dir"; fi
    rm -f "$file"
    ;;
  *)
    echo "usage: $0 up|down FILE" >&2
    exit 2
    ;;
esac
