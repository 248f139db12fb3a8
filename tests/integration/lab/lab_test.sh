#!/usr/bin/env bash
# tests/integration/lab/lab_test.sh - the lab tool itself: `scripts/lab up` with 3 members and 2 disks
# each, the status JSON contract, unicast and multicast between members, `exec`, `stop`/`start`,
# and `down` leaving no namespace, loop device, process or file behind (also after a failed and
# after a killed `up`); with LXD and Open vSwitch installed also `up --components`: the netdev
# OVS bridges br-underlay (with the underlay address) and br-uplink, TX checksum offload off, the
# LXC hook, --disable-plugin, and `down` ending daemons something else started inside a member.
# Usage: lab_test.sh BUILD_DIR    Exit 0: passed; 77: skipped (not root or tools missing).
source "$(dirname "$0")/../../lib/testlib.sh"
build=${1:?usage: lab_test.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
lab_tool=$(cd "$here/../../.." && pwd)/scripts/lab
lab_root=$TEST_TMP/labs
name=labt$$
export MICROCLOUD_LAB_ROOT=$lab_root

[ "$(id -u)" = 0 ] || { echo "SKIP: the lab needs root" >&2; exit 77; }
for tool in ip losetup nsenter unshare jq python3; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed" >&2; exit 77; }
done
[ -x "$build/bin/microcloudd" ] || fail "$build/bin/microcloudd is missing: build the microcloudd target"

lab() { "$lab_tool" --name "$name" "$@"; }
in_lab() { "$lab_tool" --name "$1" "${@:2}"; }
down_all() {
  local n
  for n in "$name" "${name}b" "${name}c" "${name}d"; do in_lab "$n" down >/dev/null 2>&1 || true; done
}
on_exit down_all

# assert_lab_gone LAB: nothing of LAB is left on the machine.
assert_lab_gone() {
  local lab=$1 dir=$lab_root/$1 pid
  ! ip netns list | awk '{ print $1 }' | grep -q "^$lab-" || fail "$lab: namespaces left: $(ip netns list | grep "^$lab-" | tr '\n' ' ')"
  ! losetup -a | grep -qF "$dir/" || fail "$lab: loop devices left: $(losetup -a | grep -F "$dir/")"
  for pid in $(grep -lzF "$dir/" /proc/[0-9]*/cmdline /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3 | sort -u); do
    [ "$pid" = "$$" ] || [ "$pid" = "$BASHPID" ] && continue
    [ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null || echo Z)" = Z ] && continue
    fail "$lab: process left: $pid $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"
  done
  ! grep -qF "$dir" /proc/self/mounts || fail "$lab: mounts left: $(grep -F "$dir" /proc/self/mounts)"
  ! compgen -G "/etc/netns/$lab-*" >/dev/null || fail "$lab: /etc/netns entries left: $(echo /etc/netns/"$lab"-*)"
  [ ! -e "$dir" ] || fail "$lab: its directory $dir is left"
}

# ---- up and the status contract -----------------------------------------------------------------
lab up --members 3 --disks 2 --disk-size 1G --build-dir "$build" || fail "lab up --members 3 --disks 2"
pass "lab up with 3 members and 2 disks each"

status=$(lab status --format json) || fail "lab status --format json"
check() { jq -e "$1" >/dev/null <<<"$status" || fail "status: $2; status is: $status"; }
check '.members | length == 3' "3 members"
check '[.members[].name] == ["m1","m2","m3"]' "members named m1..m3"
check '.subnet | test("^10\\.171\\.[0-9]+\\.0/24$")' "subnet is 10.171.x.0/24"
check '.gateway == (.subnet | sub("0/24$"; "1"))' "gateway is .1 of the subnet"
check '.cluster_interface == "eth0"' "cluster_interface is eth0"
check '.uplink.subnet | test("^10\\.172\\.[0-9]+\\.0/24$")' "uplink subnet"
check '.uplink.gateway == (.uplink.subnet | sub("0/24$"; "1"))' "uplink gateway"
check '.uplink.free_range | test("^10\\.172\\.[0-9]+\\.[0-9]+-10\\.172\\.[0-9]+\\.[0-9]+$")' "uplink free_range a-b"
check '.underlay_subnet | test("^10\\.173\\.[0-9]+\\.0/24$")' "underlay_subnet"
check '[.members[].address] | unique | length == 3' "distinct addresses"
check '(.subnet | sub("0/24$"; "")) as $p | .members | all(.address | startswith($p))' "addresses in the subnet"
check '(.underlay_subnet | sub("0/24$"; "")) as $p | .members | all(.underlay_address | startswith($p))' "underlay addresses in the underlay subnet"
check '.members | all(.uplink_interface == "uplink0")' "uplink_interface"
check '.members | all(.disks | length == 2)' "2 disks per member"
check '[.members[].disks[]] | unique | length == 6' "6 distinct disks"
check '.members | all(.running == true and (.microcloudd_pid | type) == "number")' "every microcloudd running"
check '.members | all(.namespace == "'"$name"'-" + .name)' "namespaces named <lab>-mN"
pass "status json has subnet, gateway, uplink, underlay and every member's fields"

for i in 0 1 2; do
  m=$(jq -r ".members[$i].name" <<<"$status")
  ns=$(jq -r ".members[$i].namespace" <<<"$status")
  ip netns list | grep -q "^$ns\b" || fail "namespace $ns of $m does not exist"
  for disk in $(jq -r ".members[$i].disks[]" <<<"$status"); do
    [ -b "$disk" ] || fail "$m's disk $disk is not a block device"
    losetup -nO BACK-FILE "$disk" | grep -qF "$lab_root/$name/$m/" || fail "$m's disk $disk is not backed by a file of the lab"
  done
  [ -d "$(jq -r ".members[$i].state_dir" <<<"$status")" ] || fail "$m's state_dir does not exist"
  kill -0 "$(jq -r ".members[$i].microcloudd_pid" <<<"$status")" || fail "$m's microcloudd pid is not alive"
  addrs=$(ip -n "$ns" -4 -o addr show dev uplink0)
  [ -z "$addrs" ] || fail "$m's uplink0 has an IPv4 address: $addrs"
  ip -n "$ns" -o link show uplink0 | grep -q "state UP\|,UP" || fail "$m's uplink0 is not up"
  ip -n "$ns" route show default | grep -q "via $(jq -r .gateway <<<"$status") dev eth0" ||
    fail "$m has no default route via the gateway: $(ip -n "$ns" route)"
  [ "$(lab exec "$m" -- hostname)" = "$m" ] || fail "$m's hostname is not $m"
  [ -n "$(lab exec "$m" -- ls /sys/fs/cgroup)" ] || fail "$m sees an empty /sys/fs/cgroup"
  lab exec "$m" -- test -e /sys/class/net/uplink0 || fail "$m's /sys/class/net does not show its uplink0"
done
pass "namespaces, loop disks, state dirs, pids, uplink without address, default route, hostname, sysfs and cgroups per member"

# ---- unicast and multicast between members ---------------------------------------------------------
addr() { jq -r ".members[] | select(.name == \"$1\") | .address" <<<"$status"; }
for from in m1 m2 m3; do
  for to in m1 m2 m3; do
    [ "$from" = "$to" ] && continue
    lab exec "$from" -- python3 "$here/icmp_ping.py" "$(addr "$to")" 3 || fail "$from cannot ping $to ($(addr "$to"))"
  done
  lab exec "$from" -- python3 "$here/icmp_ping.py" "$(jq -r .gateway <<<"$status")" 3 || fail "$from cannot ping the gateway"
done
pass "members ping each other's cluster addresses and the gateway"
if lab exec m1 -- python3 "$here/icmp_ping.py" 192.0.2.1 2 2>/dev/null; then fail "an address outside the lab answered"; fi
pass "nothing outside the lab is reachable"

group=239.100.100.100 port=9445  # not 9444: a member's microcloudd may listen there
declare -A receiver
for m in m2 m3; do
  lab exec "$m" -- python3 "$here/multicast.py" recv "$(addr "$m")" "$group" "$port" 10 \
    >"$TEST_TMP/mc-$m.out" 2>"$TEST_TMP/mc-$m.err" &
  receiver[$m]=$!
done
for _ in $(seq 50); do
  grep -q ready "$TEST_TMP/mc-m2.err" 2>/dev/null && grep -q ready "$TEST_TMP/mc-m3.err" 2>/dev/null && break
  sleep 0.1
done
lab exec m1 -- python3 "$here/multicast.py" send "$(addr m1)" "$group" "$port" "hello-from-m1" || fail "multicast send from m1"
wait "${receiver[m2]}" || fail "m2 did not receive the multicast datagram: $(cat "$TEST_TMP/mc-m2.err")"
wait "${receiver[m3]}" || fail "m3 did not receive the multicast datagram: $(cat "$TEST_TMP/mc-m3.err")"
for m in m2 m3; do
  [ "$(cat "$TEST_TMP/mc-$m.out")" = "$(addr m1) hello-from-m1" ] || fail "$m received '$(cat "$TEST_TMP/mc-$m.out")'"
done
pass "a multicast datagram to $group from m1 reaches m2 and m3"

# ---- exec, stop, start ------------------------------------------------------------------------------
out=$(lab exec m2 -- microcloud status --format json) || fail "lab exec m2 -- microcloud status"
[ "$(jq -r '.members[0].name' <<<"$out")" = m2 ] || fail "microcloud status in m2 does not name m2: $out"
[ "$(lab exec m2 -- sh -c 'echo $MICROCLOUD_STATE_DIR')" = "$(jq -r '.members[1].state_dir' <<<"$status")" ] ||
  fail "exec does not set MICROCLOUD_STATE_DIR"
[ "$(lab exec 2 -- hostname)" = m2 ] && [ "$(lab exec "$name-m2" -- hostname)" = m2 ] || fail "exec by index or namespace name"
if lab exec m9 -- true 2>/dev/null; then fail "exec accepted an unknown member"; fi
set +e; lab exec m2 -- sh -c 'exit 7'; rc=$?; set -e
[ "$rc" = 7 ] || fail "exec did not pass the command's exit status through (got $rc)"
pass "exec runs inside the member with its environment and exit status"

old_pid=$(jq -r '.members[1].microcloudd_pid' <<<"$status")
lab stop m2 || fail "lab stop m2"
! kill -0 "$old_pid" 2>/dev/null || [ "$(cut -d' ' -f3 "/proc/$old_pid/stat")" = Z ] || fail "microcloudd of m2 still runs after stop"
[ "$(lab status --format json | jq '.members[1].running')" = false ] || fail "status says m2 runs after stop"
if lab exec m2 -- microcloud status >/dev/null 2>&1; then fail "microcloud status answered in m2 after stop"; fi
lab start m2 || fail "lab start m2"
new=$(lab status --format json)
[ "$(jq '.members[1].running' <<<"$new")" = true ] || fail "status says m2 does not run after start"
[ "$(jq '.members[1].microcloudd_pid' <<<"$new")" != "$old_pid" ] || fail "m2 kept its old pid after a restart"
lab exec m2 -- microcloud status >/dev/null || fail "microcloud status in m2 after start"
pass "stop (SIGTERM) and start m2 with the same state"
lab stop m2 --kill || fail "lab stop m2 --kill"
lab start m2 || fail "lab start m2 after --kill"
lab exec m2 -- microcloud status >/dev/null || fail "microcloud status in m2 after a kill and a start"
pass "stop --kill (SIGKILL) and start again"

# ---- down ---------------------------------------------------------------------------------------------
lab down || fail "lab down"
assert_lab_gone "$name"
lab down || fail "a second lab down"
pass "down leaves no namespace, loop device, process, mount or file; a second down succeeds"

# A failing up (microcloudd refuses an unknown flag) removes what it made.
if in_lab "${name}b" up --members 2 --disks 1 --disk-size 64M --build-dir "$build" \
  --microcloudd-arg --no-such-flag >/dev/null 2>&1; then fail "up succeeded with a daemon that cannot start"; fi
assert_lab_gone "${name}b"
pass "a failed up cleans up after itself"

# An up killed half-way is removed by down from its record.
"$lab_tool" --name "${name}c" up --members 3 --disks 2 --disk-size 64M --build-dir "$build" >/dev/null 2>&1 &
up_pid=$!  # the lab script itself (a simple command run in the background execs in place)
for _ in $(seq 100); do
  [ -n "$(losetup -a | grep -F "$lab_root/${name}c/" || true)" ] && break
  sleep 0.05
done
kill -KILL "$up_pid" 2>/dev/null || true
wait "$up_pid" 2>/dev/null || true
in_lab "${name}c" down || fail "down after a killed up"
assert_lab_gone "${name}c"
pass "down removes a half-finished up (killed with SIGKILL)"

# ---- --components: what a real OVN member has ----------------------------------------------------------
if ! command -v lxd >/dev/null || ! command -v ovs-vswitchd >/dev/null || ! command -v ethtool >/dev/null; then
  echo "lab_test: LXD, Open vSwitch or ethtool missing: the --components part is left out (scripts/install-deps)" >&2
  exit 0
fi
labd() { in_lab "${name}d" "$@"; }
labd up --members 2 --disks 0 --components --build-dir "$build" --disable-plugin fan --disable-plugin ceph ||
  fail "lab up --members 2 --components --disable-plugin fan --disable-plugin ceph"
status=$(labd status --format json) || fail "status of the --components lab"
hook=$(jq -r .lxc_tx_off_hook <<<"$status")
{ [ -x "$hook" ] && grep -q "lxc.hook.start-host" "$hook"; } || fail "lxc_tx_off_hook '$hook' is not an executable hook script"
[ "$(jq -c .disabled_plugins <<<"$status")" = '["fan","ceph"]' ] || fail "status disabled_plugins: $(jq -c .disabled_plugins <<<"$status")"
for m in m1 m2; do
  ns=${name}d-$m
  member=$(jq ".members[] | select(.name == \"$m\")" <<<"$status")
  underlay=$(jq -r .underlay_address <<<"$member")
  grep -qx 'disable-plugins: \[fan, ceph\]' "$(jq -r .config <<<"$member")" ||
    fail "$m's microcloudd.yaml has no 'disable-plugins: [fan, ceph]'"
  [ "$(jq -r '.uplink_bridge + " " + .underlay_bridge' <<<"$member")" = "br-uplink br-underlay" ] ||
    fail "$m: status names no uplink_bridge br-uplink and underlay_bridge br-underlay: $member"
  for pair in br-underlay:eth1 br-uplink:uplink0; do
    br=${pair%%:*} port=${pair#*:}
    [ "$(labd exec "$m" -- ovs-vsctl get Bridge "$br" datapath_type)" = netdev ] || fail "$m: $br is not a netdev bridge"
    [ "$(labd exec "$m" -- ovs-vsctl port-to-br "$port")" = "$br" ] || fail "$m: $port is not a port of $br"
    ip -n "$ns" -o link show "$br" | grep -q ",UP" || fail "$m: $br is not up"
    ip netns exec "$ns" ethtool -k "$port" | grep -q "^tx-checksumming: off" || fail "$m: TX checksum offload is on on $port"
  done
  ip -n "$ns" -4 -o addr show dev br-underlay | grep -qF " $underlay/24 " || fail "$m: br-underlay does not hold $underlay"
  [ -z "$(ip -n "$ns" -4 -o addr show dev eth1)" ] || fail "$m: eth1 still has an address"
  [ -z "$(ip -n "$ns" -4 -o addr show dev br-uplink)" ] || fail "$m: br-uplink has an address"
  labd exec "$m" -- test -e /sys/class/net/br-uplink || fail "$m's /sys/class/net does not show its br-uplink"
done
ip netns exec "${name}d-gw" ethtool -k uplink0 | grep -q "^tx-checksumming: off" || fail "TX checksum offload is on on the gateway's uplink0"
labd exec m1 -- python3 "$here/icmp_ping.py" "$(jq -r '.members[1].underlay_address' <<<"$status")" 3 ||
  fail "m1 cannot ping m2's underlay address over br-underlay"
pass "--components: netdev bridges br-underlay (underlay address) and br-uplink, TX offload off, LXC hook, --disable-plugin"

# A daemon started inside a member by something else (as the OVN plugin starts ovsdb-server with a
# --monitor parent) is ended by down, which says so.
ovn=$(jq -r '.members[0].ovn_rundir' <<<"$status")
labd exec m1 -- ovsdb-tool create "$ovn/test.db" /usr/share/openvswitch/vswitch.ovsschema || fail "ovsdb-tool create in m1"
labd exec m1 -- ovsdb-server "$ovn/test.db" --remote="punix:$ovn/test.sock" --pidfile="$ovn/test.pid" \
  --unixctl="$ovn/test.ctl" --detach --monitor --no-chdir --log-file="$ovn/test.log" || fail "a monitored ovsdb-server in m1"
labd down 2>"$TEST_TMP/down-d.err" || fail "down of the --components lab: $(cat "$TEST_TMP/down-d.err")"
grep -q "that the lab did not start itself" "$TEST_TMP/down-d.err" ||
  fail "down did not say it stopped processes the lab did not start: $(cat "$TEST_TMP/down-d.err")"
assert_lab_gone "${name}d"
pass "down ends daemons that something else started inside a member"
