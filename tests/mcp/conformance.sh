#!/usr/bin/env bash
# The official MCP conformance suite against the real `taskflow serve`: every
# active scenario must pass except those listed, with their reasons, in
# expected-failures.yml. Prints "N passed, M failed" and fails on any
# unexpected result (a listed scenario that passes fails too).
#   tests/mcp/conformance.sh <taskflow binary>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export TASKFLOW=$1
eval "$("$root/scripts/peers/mcp-tools")"
# The suite connects without credentials: the server acts as the local user.
export LOCAL_USER=mcp@example.com
# shellcheck source-path=SCRIPTDIR source=start_server.sh
. "$here/start_server.sh"
out="$WORK/conformance.txt"
status=0
"$MCP_CONFORMANCE" server --url "$BASE/mcp" --expected-failures "$here/expected-failures.yml" \
  -o "$WORK/results" >"$out" 2>&1 || status=$?
sed -n '/=== SUMMARY ===/,$p' "$out"
passed=$(grep -c '^✓' "$out" || true)
failed=$(grep -c '^✗' "$out" || true)
expected=$(grep -c '^  - ' "$here/expected-failures.yml" || true)
echo "conformance: $passed passed, $failed failed ($expected failures expected: scenarios that need the suite's fixtures)"
for required in server-initialize ping tools-list logging-set-level server-sse-multiple-streams \
  dns-rebinding-protection resources-list prompts-list; do
  grep -q "^✓ $required:" "$out" || { echo "required scenario failed: $required" >&2; status=1; }
done
if [ "$status" -ne 0 ]; then
  echo "unexpected conformance results (exit $status); full output:" >&2
  cat "$out" >&2
fi
exit "$status"
