# shellcheck shell=bash
# Helpers shared by scripts/peers/*. Sourced, never run.
#
# Conventions of every peer script:
#   exit 0   success (also "already running" / "already stopped": every script is idempotent)
#   exit 1   the peer could not be obtained, started or stopped (the reason and a log tail on stderr)
#   exit 2   bad usage
#   stdout   only the result a caller captures (an address, a URI, a path); progress goes to stderr.

# shellcheck disable=SC2034 # used by the scripts that source this file
PEERS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TASKFLOW_CACHE=${TASKFLOW_CACHE:-${HOME:-/root}/.cache/taskflow}
# Marks a directory that an -up script created itself: the matching -down script removes it.
TEMP_MARKER=.taskflow-temp-dir

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { log "error: $*"; exit 1; }
usage_error() { log "$*"; log "see: ${0##*/} --help"; exit 2; }

# now_ms: wall clock in milliseconds (for timings and bounded waits).
now_ms() { date +%s%3N; }

# port_in_use PORT: true when something listens on 127.0.0.1:PORT (or on the wildcard address).
port_in_use() {
  local port=$1
  if command -v ss >/dev/null 2>&1; then
    [ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
  fi
}

# free_port: print a TCP port that nothing listens on. Ports are drawn at random below the
# kernel's ephemeral range, so that they do not collide with outgoing connections and two
# scripts running at once rarely draw the same one (callers retry on a bind failure anyway).
free_port() {
  local low=32768 _high lo hi port i
  if [ -r /proc/sys/net/ipv4/ip_local_port_range ]; then
    read -r low _high </proc/sys/net/ipv4/ip_local_port_range
  fi
  lo=20000
  hi=$((low - 1))
  if [ "$hi" -le "$lo" ]; then lo=10000; hi=19999; fi
  for ((i = 0; i < 200; i++)); do
    port=$((lo + (RANDOM * 32768 + RANDOM) % (hi - lo + 1)))
    if ! port_in_use "$port"; then
      printf '%s\n' "$port"
      return 0
    fi
  done
  die "no free TCP port found in $lo-$hi"
}

# pid_alive PID: true when the process exists (and is not a zombie).
pid_alive() {
  local pid=$1 state
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  state=$(awk '/^State:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
  [ "$state" != "Z" ]
}

# pid_cmdline_has PID STRING: true when the process's command line contains STRING
# (guards against a stale pid file whose pid now belongs to another process).
pid_cmdline_has() {
  local pid=$1 needle=$2
  [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$needle"
}

# stop_pid PID GRACE_SECONDS NAME: SIGTERM, wait up to GRACE_SECONDS, then SIGKILL and wait up to 10 s.
# Returns 0 once the process is gone, 1 if it survived even SIGKILL.
stop_pid() {
  local pid=$1 grace=$2 name=$3 deadline
  pid_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$(($(now_ms) + grace * 1000))
  while pid_alive "$pid"; do
    if [ "$(now_ms)" -ge "$deadline" ]; then
      log "$name (pid $pid) still running after ${grace}s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      deadline=$(($(now_ms) + 10000))
      while pid_alive "$pid"; do
        [ "$(now_ms)" -lt "$deadline" ] || return 1
        sleep 0.1
      done
      return 0
    fi
    sleep 0.1
  done
}

# abs_path PATH: the absolute form of PATH (which need not exist yet).
abs_path() {
  case $1 in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s/%s\n' "$(pwd)" "${1#./}" ;;
  esac
}

# show_log_tail FILE [LINES]: copy the end of a log to stderr, for failures.
show_log_tail() {
  local file=$1 lines=${2:-40}
  if [ -s "$file" ]; then
    log "last $lines lines of $file:"
    tail -n "$lines" "$file" | sed 's/^/    /' >&2
  fi
}

# remove_temp_dir DIR: remove DIR only when an -up script created it (it holds the marker).
remove_temp_dir() {
  local dir=$1
  if [ -n "$dir" ] && [ -f "$dir/$TEMP_MARKER" ]; then
    rm -rf -- "$dir"
  fi
}
