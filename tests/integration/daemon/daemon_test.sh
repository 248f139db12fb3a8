#!/usr/bin/env bash
# tests/integration/daemon/daemon_test.sh - microcloudd and microcloud end to end on this machine:
# errors when no daemon runs, one daemon per state dir, root-only socket, plugin selection by
# flag and config file, a throwing plugin that leaves the daemon up, output formats, SIGTERM.
source "$(dirname "$0")/../../lib/testlib.sh"
bin=$1 throwing_dir=$2
state=$TEST_TMP/state
mc() { "$bin/microcloud" --state-dir "$state" "$@"; }

"$bin/microcloud" --version | grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+$' || fail "microcloud --version"
pass "microcloud --version"

# No daemon yet: one line on stderr naming the socket, non-zero exit.
if out=$(mc status 2>&1); then fail "status succeeded without a daemon"; fi
[ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || fail "expected a one-line error, got: $out"
expect_contains "$out" "$state/control.socket" "a missing daemon is reported with its socket path"
if mc waitready --timeout 1 2>/dev/null; then fail "waitready succeeded without a daemon"; fi
pass "waitready --timeout gives up with a non-zero exit"

mkdir -p "$state"
cat >"$state/microcloudd.yaml" <<YAML
disable-plugins: [ceph]
plugins:
  lxd:
    socket: $TEST_TMP/no-lxd/unix.socket
YAML
start_daemon "$bin" "$state" --plugin-dir "$throwing_dir" --disable-plugin fan --debug

perm=$(stat -c %a "$state/control.socket")
[ "$perm" = 600 ] || fail "control socket mode is $perm, expected 600"
pass "control socket is root-only (0600)"

if out=$("$bin/microcloudd" --state-dir "$state" 2>&1); then fail "a second daemon started on the same state dir"; fi
expect_contains "$out" "already running" "a second daemon on the same state dir refuses"
expect_contains "$out" "$DAEMON_PID" "the refusal names the running daemon's pid"

list=$(mc plugin list --format json)
[ "$(json_eval "$list" "[p['state'] for p in d if p['name']=='fan']")" = "['disabled']" ] || fail "fan not disabled: $list"
[ "$(json_eval "$list" "[p['state'] for p in d if p['name']=='ceph']")" = "['disabled']" ] || fail "ceph not disabled by config: $list"
[ "$(json_eval "$list" "[p['state'] for p in d if p['name']=='lxd']")" = "['loaded']" ] || fail "lxd not loaded: $list"
pass "--disable-plugin and the config file's disable-plugins leave plugins out"

status=$(mc status --format json)
code=$(json_eval "$status" "d['members'][0]['plugins']['throwing']['error']['code']")
[ "$code" = internal_error ] || fail "throwing plugin's discover gave '$code': $status"
socket=$(json_eval "$status" "d['members'][0]['plugins']['lxd']['discovery']['socket']")
[ "$socket" = "$TEST_TMP/no-lxd/unix.socket" ] || fail "lxd plugin did not get its config: $socket"
running=$(json_eval "$status" "d['members'][0]['plugins']['lxd']['discovery']['running']")
[ "$running" = False ] || fail "lxd reported running with no socket"
kill -0 "$DAEMON_PID" || fail "daemon died after a throwing hook"
mc waitready --timeout 5 || fail "daemon stopped answering after a throwing hook"
pass "a throwing hook becomes an error status and the daemon stays up"

for fmt in table json yaml csv; do mc status --format "$fmt" >/dev/null || fail "status --format $fmt"; done
if out=$(mc status --format xml 2>&1); then fail "--format xml accepted"; fi
expect_contains "$out" "table, json, yaml, csv" "an invalid --format names the accepted values"

"$bin/microcloud" --format json --state-dir "$state" plugin list >/dev/null || fail "global flags before the command"
MICROCLOUD_STATE_DIR=$state "$bin/microcloud" plugin list --format csv | grep -q '^lxd,' || fail "MICROCLOUD_STATE_DIR"
pass "global flags anywhere, and MICROCLOUD_STATE_DIR, find the daemon"

system=$(python3 - "$state/control.socket" <<'PY'
import json, socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(b"GET /1.0/system HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
data = b""
while chunk := s.recv(65536): data += chunk
body = json.loads(data.split(b"\r\n\r\n", 1)[1])
m = body["metadata"]
print(body["type"], any(i["name"] == "lo" and i["type"] == "loopback" for i in m["interfaces"]), "disks" in m)
PY
)
[ "$system" = "sync True True" ] || fail "GET /1.0/system: $system"
pass "GET /1.0/system answers in the envelope with interfaces and disks"

stop_daemon "$DAEMON_PID"
[ ! -e "$state/control.socket" ] || fail "socket left behind after SIGTERM"
pass "SIGTERM stops the daemon and removes the socket"
