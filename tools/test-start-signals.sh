#!/usr/bin/env bash
# `npm start` stops every child on SIGINT or SIGTERM, once or repeated, in any order, and frees every
# port (issue 9, item 8). Each case starts the system on free ports with a throw-away data directory
# (no demo data: signals do not depend on it), signals the npm process, and checks what is left.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "[start-signals] FAIL: $*" >&2; exit 1; }

run_case() {
  local first=$1 second=${2:-}
  local data log npm_pid ports
  data=$(mktemp -d /tmp/techan-start-signals.XXXXXX)
  log="$data/start.log"
  # A background job of a non-interactive shell ignores SIGINT: restore the default, as in a terminal.
  TECHAN_DATA_DIR="$data" START_FREE_PORTS=1 START_SKIP_DEMO=1 setsid python3 -c \
    'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp("npm", ["npm", "start"])' >"$log" 2>&1 &
  npm_pid=$!
  for _ in $(seq 1 900); do
    grep -q 'is running on the local stack' "$log" && break
    kill -0 "$npm_pid" 2>/dev/null || { tail -30 "$log" >&2; fail "npm start exited before the banner"; }
    sleep 1
  done
  grep -q 'is running on the local stack' "$log" || { kill -KILL -- "-$npm_pid" 2>/dev/null || true; fail "no banner within 15 min"; }
  ports=$(grep -oE '127\.0\.0\.1:[0-9]+' "$log" | cut -d: -f2 | sort -u)
  [ -n "$ports" ] || fail "no ports in the banner"
  # As a terminal does (Ctrl-C) or a supervisor stopping a session: the signal goes to npm's process group
  # (npm, the launcher; services and stores are detached into their own groups and stopped by the launcher).
  kill -"$first" -- "-$npm_pid"
  if [ -n "$second" ]; then sleep 1; kill -"$second" -- "-$npm_pid" 2>/dev/null || true; fi
  for _ in $(seq 1 60); do kill -0 "$npm_pid" 2>/dev/null || break; sleep 1; done
  kill -0 "$npm_pid" 2>/dev/null && fail "npm still running 60 s after SIG$first${second:+ + SIG$second}"
  sleep 1
  for port in $ports; do
    if ss -ltnH "sport = :$port" | grep -q .; then fail "port $port still listening after SIG$first${second:+ + SIG$second}"; fi
  done
  if pgrep -f "$data" >/dev/null; then pgrep -af "$data" >&2; fail "stand-ins of $data still running"; fi
  echo "[start-signals] SIG$first${second:+ then SIG$second}: every child stopped, ports $(echo $ports | tr '\n' ' ')free"
  rm -rf "$data"
}

cases=${START_SIGNAL_CASES:-"INT INT,INT TERM,INT"}
IFS=',' read -ra list <<<"$cases"
for c in "${list[@]}"; do run_case $c; done
