#!/usr/bin/env bash
# Runs sdk_client.test.mjs (the official MCP SDK Client, Node 22) against a
# fresh `taskflow serve` and `taskflow mcp`.
#   tests/mcp/sdk_client.sh <taskflow binary>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
TASKFLOW=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
eval "$("$root/scripts/peers/mcp-tools")"
# shellcheck source-path=SCRIPTDIR source=start_server.sh
. "$here/start_server.sh"
export MCP_NODE_MODULES BASE TOKEN TASKFLOW DB_URL SECRET
status=0
"$MCP_NODE" --test --test-reporter=tap "$here/sdk_client.test.mjs" || status=$?
if [ "$status" -ne 0 ]; then echo "server log:" >&2; tail -n 30 "$WORK/server.log" >&2; fi
exit "$status"
