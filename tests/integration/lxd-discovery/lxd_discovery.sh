#!/bin/bash
# tests/integration/lxd-discovery/lxd_discovery.sh - microcloudd's lxd plugin discovers a real LXD in a netns.
#
# Usage: lxd_discovery.sh BUILD_DIR
# Starts LXD with a temporary LXD_DIR inside a fresh network namespace that has only `lo` (no
# way out), gives it a `dir` pool and a bridge with explicit addresses, starts microcloudd in the
# same namespace with the lxd plugin pointed at that socket, and checks `microcloud status` shows
# LXD 5.0.x running. Everything it made (namespace, processes, files) is removed on exit.
# Exit 0: passed; 77: skipped (not root, or lxd/ip/jq missing); anything else: failed.
set -euo pipefail

BUILD_DIR=${1:?usage: lxd_discovery.sh BUILD_DIR}
BUILD_DIR=$(cd "$BUILD_DIR" && pwd)
DAEMON=$BUILD_DIR/bin/microcloudd
CLI=$BUILD_DIR/bin/microcloud

NS=mc-lxdtest-$$-$RANDOM
WORK=
LXD_PID=
DAEMON_PID=

log() { echo "lxd_discovery: $*" >&2; }
skip() { log "SKIP: $*"; exit 77; }

show_logs() {
    [ -n "$WORK" ] || return 0
    for f in "$WORK/lxd.log" "$WORK/microcloudd.log"; do
        [ -s "$f" ] || continue
        log "---- last lines of $(basename "$f") ----"
        tail -n 40 "$f" >&2
    done
}

fail() {
    log "FAIL: $*"
    show_logs
    exit 1
}

# Sends TERM to a process group, waits up to $2 seconds, then KILLs what is left.
stop_group() {
    local pid=$1 grace=$2 i
    [ -n "$pid" ] || return 0
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < grace * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$?
    set +e
    stop_group "$DAEMON_PID" 10
    stop_group "$LXD_PID" 20
    # LXD's helpers (dnsmasq, forkfile ...) run in their own process groups: end them by netns.
    if ip netns list 2>/dev/null | grep -qw "$NS"; then
        local pids
        pids=$(ip netns pids "$NS" 2>/dev/null)
        [ -n "$pids" ] && kill -KILL $pids 2>/dev/null
        ip netns del "$NS"
    fi
    if [ -n "$WORK" ]; then
        # Anything LXD mounted below the work dir (normally nothing: ip netns exec keeps mounts private).
        awk -v d="$WORK" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r |
            while read -r m; do umount -l "$m"; done
        rm -rf "$WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, LXD)"
for tool in ip lxd lxc jq; do
    command -v "$tool" >/dev/null || skip "$tool is not installed"
done
[ -x "$DAEMON" ] || fail "$DAEMON is missing: build the microcloudd target"
[ -x "$CLI" ] || fail "$CLI is missing: build the microcloud target"
[ -f "$BUILD_DIR/lib/microcloud/plugins/lxd/lxd.so" ] || fail "the lxd plugin is not built in $BUILD_DIR"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mc-lxdtest.XXXXXX")
LXD_DIR=$WORK/lxd
STATE_DIR=$WORK/state
mkdir -p "$LXD_DIR" "$STATE_DIR" "$WORK/lxc-conf"
echo "default-remote: local" >"$WORK/lxc-conf/config.yml"  # a known client config keeps lxc quiet
SOCKET=$LXD_DIR/unix.socket

in_ns() { ip netns exec "$NS" "$@"; }
lxd_query() { in_ns env LXD_DIR="$LXD_DIR" LXD_CONF="$WORK/lxc-conf" lxc query "$@"; }

log "network namespace $NS (only lo, no route out)"
ip netns add "$NS"
in_ns ip link set lo up

log "starting LXD with LXD_DIR=$LXD_DIR"
start=$(date +%s%N)
LXD_DIR=$LXD_DIR setsid ip netns exec "$NS" lxd --group root >"$WORK/lxd.log" 2>&1 &
LXD_PID=$!
in_ns env LXD_DIR="$LXD_DIR" lxd waitready --timeout 60 || fail "LXD did not become ready within 60 s"
log "LXD ready after $((($(date +%s%N) - start) / 1000000)) ms"

# Something for discovery to list; addresses are explicit (never `lxd init`).
lxd_query -X POST -d '{"name":"local","driver":"dir"}' /1.0/storage-pools >/dev/null ||
    fail "could not create the storage pool"
lxd_query -X POST /1.0/networks \
    -d '{"name":"mctestbr0","type":"bridge","config":{"ipv4.address":"10.251.77.1/24","ipv4.nat":"false","ipv6.address":"none"}}' \
    >/dev/null || fail "could not create the bridge"

cat >"$WORK/microcloud.yaml" <<EOF
plugins:
  lxd:
    socket: $SOCKET
EOF

log "starting microcloudd with state dir $STATE_DIR"
setsid ip netns exec "$NS" env -u LXD_DIR "$DAEMON" --state-dir "$STATE_DIR" --config "$WORK/microcloud.yaml" \
    --debug >"$WORK/microcloudd.log" 2>&1 &
DAEMON_PID=$!
in_ns "$CLI" --state-dir "$STATE_DIR" waitready --timeout 30 || fail "microcloudd did not become ready"
kill -0 "$DAEMON_PID" 2>/dev/null || fail "microcloudd exited"

# Plain status leaves the pools and networks out (they are the plan's); --refresh is the full discovery.
STATUS=$(in_ns "$CLI" --state-dir "$STATE_DIR" status --format json) || fail "microcloud status failed"
jq -e '.members[0].plugins.lxd.discovery | .running == true and (has("storage_pools") or has("networks") | not)' \
  >/dev/null <<<"$STATUS" || fail "plain status listed LXD's pools or networks: $STATUS"
STATUS=$(in_ns "$CLI" --state-dir "$STATE_DIR" status --refresh --format json) || fail "microcloud status --refresh failed"
echo "$STATUS" >"$WORK/status.json"
LXD_REPORT=$(jq -e '.members[0].plugins.lxd' <<<"$STATUS") || fail "status has no lxd plugin: $STATUS"

check() {
    local what=$1 filter=$2
    jq -e "$filter" <<<"$LXD_REPORT" >/dev/null || fail "$what; the lxd entry is: $LXD_REPORT"
}
check "the lxd plugin is not loaded" '.state == "loaded"'
check "discovery does not see LXD present" '.discovery.present == true'
check "discovery does not see LXD running" '.discovery.running == true'
check "discovery does not report LXD 5.0.x" '.discovery.version | startswith("5.0.")'
check "discovery did not use the configured socket" ".discovery.socket == \"$SOCKET\" and .discovery.socket_source == \"config\""
check "discovery says LXD is clustered" '.discovery.clustered == false'
check "discovery lists no API extensions" '.discovery.api_extensions | index("clustering") != null'
check "discovery lacks the dir storage driver" '[.discovery.storage_drivers[].name] | index("dir") != null'
check "discovery lacks the storage pool" '[.discovery.storage_pools[].name] | index("local") != null'
check "discovery lacks the bridge" '.discovery.networks | map(select(.name == "mctestbr0" and .managed)) | length == 1'
check "discovery gave reasons although all is well" '.discovery.reasons == []'

log "PASS: LXD $(jq -r '.discovery.version' <<<"$LXD_REPORT") discovered through $SOCKET"
