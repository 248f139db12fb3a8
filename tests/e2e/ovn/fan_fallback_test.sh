#!/usr/bin/env bash
# tests/e2e/ovn/fan_fallback_test.sh - without OVN, the fan is the network; this kernel has no fan:
#  - a preseed without an ovn section stops before any component changes, with upstream's "Fan
#    networking is not usable" and the ways out; every LXD is as before, MicroCloud forgotten;
#  - with the fan plugin disabled on every member, the same preseed forms LXD without a network.
# Usage: fan_fallback_test.sh BUILD_DIR    Exit 0: passed; 77: skipped.
source "$(dirname "$0")/../../lib/testlib.sh"
source "$(dirname "$0")/../../lib/labtest.sh"
build=${1:?usage: fan_fallback_test.sh BUILD_DIR}
lab_test_setup fan "$build" lxd lxc
if [ -e /proc/sys/net/fan ]; then echo "SKIP: this kernel has the fan; the test is for one without" >&2; exit 77; fi

chmod 0711 "$TEST_TMP"
lab up --members 2 --components --build-dir "$build" >/dev/null || fail "lab up --members 2 --components"
lab_status
subnet=$(lab_subnet)
lxd_get() { lab exec "m$1" -- sh -c 'curl -s --unix-socket "$LXD_DIR/unix.socket" "lxd$0" | jq -c .metadata' "$2"; }
snapshot() {
  jq -c -n --argjson s "$(lxd_get "$1" /1.0)" --argjson n "$(lxd_get "$1" /1.0/networks)" \
    --argjson p "$(lxd_get "$1" /1.0/profiles/default)" '{clustered: $s.environment.server_clustered, config: $s.config, networks: $n, devices: $p.devices}'
}
printf 'initiator: m1\nlookup_subnet: %s\nsession_passphrase: fan test pass phrase\nsession_timeout: 60s\nsystems:\n- name: m1\n- name: m2\n' \
  "$subnet" >"$TEST_TMP/form.yaml"

before1=$(snapshot 1); before2=$(snapshot 2)
preseed_on "$TEST_TMP/form.yaml" 1 2
out=$(cat "$TEST_TMP/out-m1")
echo "$out"
[ "$(cat "$TEST_TMP/rc-m1")" != 0 ] || fail "the preseed formed a cloud although the fan cannot work here: $out"
expect_contains "$out" "Fan networking is not usable" "upstream's verdict"
expect_contains "$out" "Cluster bootstrapping aborted due to lack of usable networking" "upstream's abort"
expect_contains "$out" "--disable-plugin fan" "the way out without a network"
expect_contains "$out" "ovn_uplink_interface" "the way out with OVN"
[ "$(snapshot 1)" = "$before1" ] || fail "m1's LXD changed: $before1 -> $(snapshot 1)"
[ "$(snapshot 2)" = "$before2" ] || fail "m2's LXD changed: $before2 -> $(snapshot 2)"
for _ in $(seq 50); do mc 2 cluster list >/dev/null 2>&1 || break; sleep 0.2; done
for m in 1 2; do o=$(mc "$m" cluster list 2>&1) && fail "m$m is still a MicroCloud member: $o"; done
pass "no OVN and no fan in this kernel: the run stopped with upstream's message and the ways out; nothing changed"

# The fan left out on every member (as an operator would, in microcloudd.yaml), daemons restarted.
for m in m1 m2; do
  config=$(jq -r ".members[] | select(.name == \"$m\") | .config" <<<"$LAB_TEST_STATUS")
  printf 'disable-plugins: [fan]\n' >>"$config"
  lab stop "$m" >/dev/null && lab start "$m" >/dev/null || fail "could not restart microcloudd on $m"
done
preseed_on "$TEST_TMP/form.yaml" 1 2
for m in 1 2; do [ "$(cat "$TEST_TMP/rc-m$m")" = 0 ] || fail "preseed on m$m with the fan disabled failed: $(cat "$TEST_TMP/out-m$m")"; done
cat "$TEST_TMP/out-m1"
clustered=$(lab exec m1 -- lxc cluster list -f json | jq -r '.[].server_name' | sort | tr '\n' ' ')
[ "$clustered" = "m1 m2 " ] || fail "LXD's cluster is '$clustered'"
devices=$(lxd_get 1 /1.0/profiles/default | jq -c '.devices | keys')
[ "$devices" = '["root"]' ] || fail "the default profile should have only its root disk: $devices"
pass "with the fan disabled on every member, LXD formed on m1 and m2 without a network (profile: root only)"
