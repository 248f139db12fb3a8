#!/usr/bin/env bash
# tests/integration/discovery/discovery_test.sh - responder and lookup across network namespaces on a bridge.
# Usage: discovery_test.sh DISCOVERY_TOOL     Exit 0: passed; 1: failed; 77: skipped (not root / no ip, jq).
# Makes namespaces <prefix>-sw (bridge br0) and <prefix>-a/-b/-c (eth0 = 10.174.0.1/.2/.3 on the bridge;
# a and c also share eth1 = 10.175.0.1/.3);
# all traffic stays inside them. Everything made here is removed on exit.
set -u
tool=$1
[ "$(id -u)" = 0 ] || { echo "SKIP: network namespaces need root" >&2; exit 77; }
for command in ip jq; do
  command -v "$command" >/dev/null || { echo "SKIP: $command is not installed" >&2; exit 77; }
done

prefix="mcdisco$$"
subnet=10.174.0.0/24
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  local ns pid
  for ns in a b c sw; do
    for pid in $(ip netns pids "$prefix-$ns" 2>/dev/null); do kill "$pid" 2>/dev/null; done
    ip netns del "$prefix-$ns" 2>/dev/null
  done
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() { echo "FAIL: $*" >&2; exit 1; }
in_ns() { local ns=$1; shift; ip netns exec "$prefix-$ns" "$@"; }

make_network() {
  ip netns add "$prefix-sw" || fail "cannot create namespace $prefix-sw"
  in_ns sw ip link add br0 type bridge
  in_ns sw ip link set br0 up
  local index=1 ns
  for ns in a b c; do
    ip netns add "$prefix-$ns" || fail "cannot create namespace $prefix-$ns"
    ip link add "$prefix$ns" netns "$prefix-sw" type veth peer name eth0 netns "$prefix-$ns" ||
      fail "cannot create the veth pair for $ns"
    in_ns sw ip link set "$prefix$ns" master br0 up
    in_ns "$ns" ip link set lo up
    in_ns "$ns" ip addr add "10.174.0.$index/24" dev eth0
    in_ns "$ns" ip link set eth0 up
    index=$((index + 1))
  done
  # A second link between a and c only (10.175.0.0/24), to show a responder hears just its interface.
  ip link add eth1 netns "$prefix-a" type veth peer name eth1 netns "$prefix-c" || fail "cannot link a and c"
  in_ns a ip addr add 10.175.0.1/24 dev eth1
  in_ns c ip addr add 10.175.0.3/24 dev eth1
  in_ns a ip link set eth1 up
  in_ns c ip link set eth1 up
}

# start_responder NS NAME VERSION: a responder in NS, running until killed; waits for "ready".
start_responder() {
  local ns=$1 name=$2 version=$3 out
  out=$(mktemp)
  # Not through in_ns: $! must be the responder itself (ip netns exec execs it), not a subshell.
  ip netns exec "$prefix-$ns" "$tool" respond --interface eth0 --name "$name" --fingerprint "fp-$name" --version "$version" \
    --seconds 60 >"$out" 2>&1 &
  responder=$!
  pids+=("$responder")
  for _ in $(seq 50); do
    grep -q '^ready$' "$out" && { rm -f "$out"; return 0; }
    sleep 0.1
  done
  fail "responder in $ns did not start: $(cat "$out")"
}

stop_responder() { kill "$responder" 2>/dev/null; wait "$responder" 2>/dev/null; }

# expect_field JSON FIELD VALUE
expect_field() {
  local got
  got=$(jq -r ".$2" <<<"$1")
  [ "$got" = "$3" ] || fail "$2 is '$got', expected '$3' in: $1"
}

expect_contains() { [[ $1 == *"$2"* ]] || fail "expected '$2' in: $1"; }

make_network

echo "== a lookup finds the initiator and reads its announcement"
start_responder a alpha 2.0
reply=$(in_ns b "$tool" lookup --subnet "$subnet" --timeout 10) || fail "lookup failed: $reply"
expect_field "$reply" version 2.0
expect_field "$reply" name alpha
expect_field "$reply" address 10.174.0.1
expect_field "$reply" fingerprint fp-alpha
expect_field "$reply" sender 10.174.0.1
expect_field "$reply" '"services"."MicroCloud"' 2.0

echo "== a lookup for another name hears alpha but keeps listening, then says so"
error=$(in_ns b "$tool" lookup --subnet "$subnet" --timeout 2 --name nobody) && fail "lookup for 'nobody' succeeded: $error"
expect_field "$error" code discovery_nothing_heard
expect_contains "$error" "other system(s) answered"

echo "== the responder listens on its interface only (eth0, not eth1)"
error=$(in_ns c "$tool" lookup --subnet 10.175.0.0/24 --timeout 2) && fail "alpha answered on eth1: $error"
expect_field "$error" code discovery_nothing_heard
expect_field "$error" details.interface eth1
stop_responder

echo "== a reply of another version is a mismatch"
start_responder c gamma 1.0
error=$(in_ns b "$tool" lookup --subnet "$subnet" --timeout 10) && fail "lookup accepted version 1.0: $error"
expect_field "$error" code discovery_version_mismatch
expect_field "$error" message 'System "gamma" (version "1.0") has a version mismatch: Expected "2.0"'
stop_responder

echo "== nobody answers: the error names interface, subnet, time and probes"
error=$(in_ns b "$tool" lookup --subnet "$subnet" --timeout 3) && fail "lookup without responder succeeded: $error"
expect_field "$error" code discovery_nothing_heard
expect_contains "$error" "interface eth0 (address 10.174.0.2, subnet 10.174.0.0/24) within 3s"
expect_field "$error" details.probes_sent 6  # at 0, 0.1, 0.3, 0.7, 1.5 and 2.5 s

echo "== a subnet no interface is in"
error=$(in_ns b "$tool" lookup --subnet 10.99.0.0/24 --timeout 1) && fail "lookup on 10.99.0.0/24 succeeded: $error"
expect_field "$error" code discovery_no_interface_for_subnet
expect_contains "$error" "lookup subnet 10.99.0.0/24"
expect_contains "$error" "eth0 10.174.0.2/24"

echo "PASS"
