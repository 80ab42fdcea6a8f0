# shellcheck shell=bash
# Sourced by the MCP tests: starts `taskflow serve` on a free loopback port in a
# temp dir, with a user whose token is in $TOKEN; the EXIT trap stops it.
# Needs: $TASKFLOW (the binary), optionally $LOCAL_USER (--mcp-local-user). Sets: BASE, TOKEN, WORK, SERVER_PID, DB_URL, SECRET.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tfmcp-test.XXXXXX")
SECRET=mcp-test-secret-0123456789abcdef0123456789
DB_URL="sqlite:///$WORK/taskflow.db"
# Stops the server; a server that does not exit cleanly on SIGTERM (a crash, a
# sanitizer report) fails the test.
stop_server() {
  local rc=$? server_rc=0
  if [ -n "${SERVER_PID:-}" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || server_rc=$?
    if [ "$server_rc" -ne 0 ]; then
      echo "taskflow serve exited with $server_rc; its log:" >&2
      tail -n 40 "$WORK/server.log" >&2
      rc=1
    fi
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap stop_server EXIT
# Created here, not by the background job's redirection, which may come later.
: >"$WORK/server.log"
"$TASKFLOW" serve --http-addr 127.0.0.1:0 --database-url "$DB_URL" --auth-secret "$SECRET" \
  --http-threads 2 ${LOCAL_USER:+--mcp-local-user "$LOCAL_USER"} >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  addr=$(sed -n 's/.*"msg":"listening".*"address":"\([^"]*\)".*/\1/p; s/.*"address":"\([^"]*\)".*"msg":"listening".*/\1/p' "$WORK/server.log" | head -1)
  [ -n "$addr" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$addr" ] || { echo "server did not start" >&2; cat "$WORK/server.log" >&2; exit 1; }
BASE="http://$addr"
TOKEN=$(curl -sf -X POST "$BASE/api/auth/signup" -H 'Content-Type: application/json' \
  -d '{"email":"mcp@example.com","password":"correct horse battery","name":"MCP"}' |
  sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$TOKEN" ] || { echo "signup failed" >&2; cat "$WORK/server.log" >&2; exit 1; }
