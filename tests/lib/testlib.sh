# tests/lib/testlib.sh - shared helpers for the shell test tiers: assertions, temp dirs, and
# microcloudd processes that are always stopped (by pid) when the test exits.
set -euo pipefail

TEST_TMP=$(mktemp -d /tmp/microcloud-test.XXXXXX)
TEST_PIDS=()
TEST_CLEANUPS=()

test_cleanup() {
  local rc=$?
  local fn pid
  for fn in "${TEST_CLEANUPS[@]+"${TEST_CLEANUPS[@]}"}"; do "$fn" || true; done
  for pid in "${TEST_PIDS[@]+"${TEST_PIDS[@]}"}"; do
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$TEST_TMP"
  exit "$rc"
}
trap test_cleanup EXIT

on_exit() { TEST_CLEANUPS+=("$1"); }

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok - $*"; }

# expect_contains HAYSTACK NEEDLE WHAT
expect_contains() {
  case "$1" in *"$2"*) pass "$3" ;; *) fail "$3: expected to find '$2' in: $1" ;; esac
}

# start_daemon BIN_DIR STATE_DIR [microcloudd flags...]: starts microcloudd, waits until ready,
# sets DAEMON_PID.
start_daemon() {
  local bin=$1 state=$2; shift 2
  "$bin/microcloudd" --state-dir "$state" "$@" >"$state.log" 2>&1 &
  DAEMON_PID=$!
  TEST_PIDS+=("$DAEMON_PID")
  if ! "$bin/microcloud" --state-dir "$state" waitready --timeout 30; then
    cat "$state.log" >&2
    fail "microcloudd did not become ready"
  fi
}

# stop_daemon PID: SIGTERM and wait for the exit.
stop_daemon() {
  local pid=$1
  kill -TERM "$pid"
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  fail "microcloudd (pid $pid) did not stop after SIGTERM"
}

# json_get JSON JQ-LIKE-PYTHON-EXPR: evaluates a Python expression over the parsed JSON `d`.
json_eval() {
  python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$1" "$2"
}
