#!/usr/bin/env bash
# tests/e2e/ovn/ovn_network_test.sh - MicroCloud forms OVN across lab members (Debian's Open
# vSwitch and OVN, run through ovn-ctl by the ovn plugin) and LXD on top of it:
#  - m3's Open vSwitch database killed as m3 joins OVN: the run fails naming m3, ovn and join, no
#    member stays clustered and OVN's changes are taken back (more such cases, which take longer:
#    tests/e2e/faults/component_faults_test.sh);
#  - LXD's join made to fail on m3: OVN's changes of that run are taken back on every member;
#  - the same preseed then forms NB and SB raft clusters of 3 (TLS) with a leader and 3 chassis
#    tunnelling over the underlay; LXD gets UPLINK and default and the profile's eth0;
#  - busybox containers on m1 and m3 get addresses by DHCP from OVN, ping each other (geneve over
#    eth1) and the uplink gateway (through the OVN router), and carry 1 MB over TCP intact;
#  - the NB leader's ovsdb-server killed: writes go on within 15 s and c1 still reaches c2;
#  - m4 added: a chassis only, its container reaches c1; m3 removed: its chassis gone, raft of 2.
# Usage: ovn_network_test.sh BUILD_DIR    Exit 0: passed; 77: skipped.
source "$(dirname "$0")/../../lib/testlib.sh"
source "$(dirname "$0")/../../lib/labtest.sh"
source "$(dirname "$0")/../../lib/busybox_image.sh"
build=${1:?usage: ovn_network_test.sh BUILD_DIR}
lab_test_setup ovn "$build" lxd lxc ovsdb-server ovn-northd ovn-controller ovn-nbctl ethtool mkfifo
[ -x /bin/busybox ] || { echo "SKIP: /bin/busybox is missing (Debian package busybox-static)" >&2; exit 77; }
[ -x /usr/share/ovn/scripts/ovn-ctl ] || { echo "SKIP: ovn-ctl is missing (Debian package ovn-common)" >&2; exit 77; }

chmod 0711 "$TEST_TMP"
lab up --members 4 --components --build-dir "$build" >/dev/null || fail "lab up --members 4 --components"
lab_status
subnet=$(lab_subnet)
uplink_gw=$(jq -r .uplink.gateway <<<"$LAB_TEST_STATUS")
range=$(jq -r .uplink.free_range <<<"$LAB_TEST_STATUS")
uplink_bridge=$(jq -r '.members[0].uplink_bridge' <<<"$LAB_TEST_STATUS")
hook=$(jq -r .lxc_tx_off_hook <<<"$LAB_TEST_STATUS")
underlay() { jq -r ".members[$(($1 - 1))].underlay_address" <<<"$LAB_TEST_STATUS"; }
in_m() { local m=$1; shift; lab exec "m$m" -- "$@"; }
lxc_in() { local m=$1; shift; lab exec "m$m" -- lxc "$@"; }
# ovn_ctl_status N DB: cluster/status of the NB or SB database server of mN ("" when it runs none).
raft() { in_m "$1" sh -c "ovs-appctl -t \"\$OVN_RUNDIR/ovn${2}_db.ctl\" cluster/status OVN_$3 2>/dev/null" || true; }
# sb N ARGS: ovn-sbctl on mN's own Southbound server (no leader needed for reads).
sb() { local m=$1; shift; in_m "$m" sh -c 'ovn-sbctl --no-leader-only --db="unix:$OVN_RUNDIR/ovnsb_db.sock" "$@"' sb "$@"; }
ovn_daemons_of() { in_m "$1" sh -c 'for f in "$OVN_RUNDIR"/*.pid; do [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && basename "$f"; done; true'; }
write_preseed() {  # write_preseed FILE INITIATOR MEMBER...
  local file=$1 initiator=$2 m
  shift 2
  { echo "initiator: $initiator"; echo "lookup_subnet: $subnet"; echo "session_passphrase: ovn test pass phrase"
    echo "session_timeout: 90s"; echo "systems:"
    for m in "$@"; do
      echo "- name: $m"; echo "  ovn_uplink_interface: $uplink_bridge"; echo "  ovn_underlay_ip: $(underlay "${m#m}")"
    done
    echo "ovn:"; echo "  ipv4_gateway: $uplink_gw/24"; echo "  ipv4_range: $range"; echo "  dns_servers: $uplink_gw"
  } >"$file"
}
write_preseed "$TEST_TMP/form.yaml" m1 m1 m2 m3

# ---- m3's Open vSwitch database killed as m3 joins OVN: the run fails naming m3, ovn and join ---------------
preseed_with_fault "$TEST_TMP/form.yaml" "Joining m3 to ovn" "kill_daemon 3 '\$OVS_RUNDIR/ovsdb-server.pid'" 1 2 3
fault_case "ovn: m3 ovsdb-server (OVS) at join" 'Plugin ovn failed on member m3 at step "join"'
restart_daemon 3 '$OVS_RUNDIR/ovsdb-server.pid'
expect_not_clustered 1 2 3
expect_lxd_standalone 1 2 3
expect_ovn_taken_back 1 2 3
pass "m3's OVS database killed at its OVN join: no member clustered; OVN's databases, daemons, files and OVS settings taken back on m1-m3"

# ---- LXD's join fails on m3: OVN's changes of the run are taken back everywhere ---------------------------
# Once LXD's wave starts (OVN has joined everywhere), m3's LXD is killed.
preseed_with_fault "$TEST_TMP/form.yaml" "Bootstrapping lxd" "lab stop m3 --lxd --kill" 1 2 3
fault_case "ovn: m3 LXD at lxd's wave" 'Plugin lxd failed on member m3 at step "join"'
expect_rolled_back_after_lxd ovn
expect_ovn_taken_back 1 2 3
pass "LXD killed on m3 during the run: OVN's databases, daemons, files and OVS settings were taken back on m1-m3"

# ---- the same preseed forms OVN and LXD on it ----------------------------------------------------------------
form_again "$TEST_TMP/form.yaml" 1 2 3
fault_table "yes (the same preseed, once, after both faults)"
for db in "nb Northbound" "sb Southbound"; do
  set -- $db
  status=$(raft 1 "$1" "$2")
  servers=$(grep -c ' at ssl:' <<<"$status")
  [ "$servers" = 3 ] || fail "the $2 raft cluster has $servers servers: $status"
  grep -q '^Leader: unknown' <<<"$status" && fail "the $2 raft cluster has no leader: $status"
  grep -q "^Status: cluster member" <<<"$status" || fail "m1 is not a $2 cluster member: $status"
done
encaps=$(sb 1 --bare --columns=ip list Encap | grep . | sort | tr '\n' ' ')
want=$(for m in 1 2 3; do underlay "$m"; done | sort | tr '\n' ' ')
[ "$encaps" = "$want" ] || fail "chassis encap IPs are '$encaps', expected the underlay addresses '$want'"
chassis=$(sb 1 --bare --columns=name list Chassis | grep . | sort | tr '\n' ' ')
[ "$chassis" = "m1 m2 m3 " ] || fail "chassis are '$chassis'"
in_m 1 ss -ltn | grep -q ':6641 ' || fail "m1's NB database does not listen on 6641"
out=$(in_m 2 sh -c "ovn-nbctl --db=tcp:$(addr 1):6641 --timeout=3 show" 2>&1) && fail "the NB database answered plain TCP: $out"
# A stranger that trusts the cloud's CA but shows a certificate of its own is refused.
out=$(in_m 2 sh -c 'd=$(mktemp -d) && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -keyout "$d/k" -out "$d/c" -days 1 -subj /CN=stranger 2>/dev/null &&
  ovn-nbctl --db="ssl:$0:6641" -p "$d/k" -c "$d/c" -C "$OVN_DBDIR/microcloud-pki/ca.crt" --timeout=3 show; rc=$?; rm -rf "$d"; exit $rc' \
  "$(addr 1)" 2>&1) && fail "the NB database served a client with a self-signed certificate: $out"
lxc_in 1 network list
for n in UPLINK default; do
  [ "$(lxc_in 1 network show "$n" | awk '/^status:/ {print $2}')" = Created ] || fail "network $n is not Created: $(lxc_in 1 network show "$n")"
done
[ "$(lxc_in 1 profile device get default eth0 network)" = default ] || fail "profile eth0 is not on default: $(lxc_in 1 profile show default)"
expect_contains "$(mc 2 status)" "chassis registered" "status shows m2's chassis through the ovn status hook"
# The centrals read the Chassis table from their own Southbound server, not with ovn-sbctl.
from=$(mc 2 status --format json | jq -r '[.members[] | .name + ":" + (.plugins.ovn.health.chassis_from // "none")] | sort | join(" ")')
[ "$from" = "m1:local database m2:local database m3:local database" ] || fail "where the centrals' status read the chassis: $from"
# service list: every component's members as the components see them (their status hooks).
services=$(mc 2 service list --format json) || fail "service list on m2"
echo "$services" | jq -c '{lxd: [.lxd[] | [.name, .status]], ovn: [.ovn[] | [.name, .role, .status]]}'
jq -e '(.microcloud | length == 3) and ([.lxd[] | select(.status == "Online")] | length == 3) and
       ([.ovn[] | select(.status == "ONLINE" and (.role | contains("NB") and contains("SB") and contains("chassis")))] | length == 3) and
       ([.lxd[].address] | all(startswith("https://")))' >/dev/null <<<"$services" ||
  fail "service list does not show LXD Online and OVN ONLINE (NB, SB, chassis) on m1-m3: $services"
mc 2 service list | tee "$TEST_TMP/services.txt"
grep -q '^lxd:$' "$TEST_TMP/services.txt" && grep -q '^ovn:$' "$TEST_TMP/services.txt" ||
  fail "service list's tables are not headed lxd: and ovn:"
pass "3 members formed by preseed in $((t_formed - t0)) ms: NB and SB raft of 3 with a leader, chassis m1 m2 m3 on the underlay, NB refuses plain TCP and strangers' certificates, UPLINK and default Created, profile eth0 on default; service list shows LXD and OVN on m1-m3"

# ---- containers on m1 and m3 talk across members and out through the OVN router --------------------------
image=$(busybox_image "$TEST_TMP") || fail "could not build the busybox image"
lxc_in 1 image import "$image" --alias busybox >/dev/null || fail "lxc image import"
# TCP through the userspace datapath needs TX checksum offload off on the containers' veths (lab hook).
lxc_in 1 profile set default raw.lxc "lxc.hook.start-host = $hook" || fail "could not set the lab's LXC hook"
lease() {  # lease NAME: the container's DHCP address from OVN
  local out
  out=$(lxc_in 1 exec "$1" -- udhcpc -i eth0 -n -q -t 10 -T 1 -s /usr/share/udhcpc/default.script 2>&1) ||
    fail "$1 got no DHCP lease from OVN: $out"
  lxc_in 1 exec "$1" -- ip -4 -o addr show eth0 | awk '{print $4}' | cut -d/ -f1
}
t_launch=$(now_ms)
for pair in "c1 m1" "c2 m3"; do
  set -- $pair
  out=$(lxc_in 1 launch busybox "$1" --target "$2" </dev/null 2>&1) || fail "lxc launch $1 on $2: $out"
done
ip1=$(lease c1); ip2=$(lease c2)
[ -n "$ip1" ] && [ -n "$ip2" ] || fail "addresses: c1 '$ip1', c2 '$ip2'"
eth1_before=$(in_m 1 cat /sys/class/net/eth1/statistics/tx_packets)
for _ in $(seq 20); do lxc_in 1 exec c1 -- ping -c1 -W1 "$ip2" >/dev/null 2>&1 && break; done
t_ping=$(now_ms)
out=$(lxc_in 1 exec c1 -- ping -c 5 -W 2 "$ip2" 2>&1) || fail "c1 ($ip1, m1) cannot ping c2 ($ip2, m3): $out"
eth1_after=$(in_m 1 cat /sys/class/net/eth1/statistics/tx_packets)
((eth1_after - eth1_before >= 5)) || fail "the pings did not cross m1's eth1 (tx_packets $eth1_before -> $eth1_after)"
tunnels=$(in_m 1 ovs-vsctl --bare --columns=options find Interface type=geneve)
for m in 2 3; do
  grep -Eq "remote_ip=\"?$(underlay "$m")\"?( |$)" <<<"$tunnels" || fail "m1 has no geneve tunnel to $(underlay "$m"): $tunnels"
done
out=$(lxc_in 1 exec c1 -- ping -c 3 -W 2 "$uplink_gw" 2>&1) || fail "c1 cannot ping the uplink gateway $uplink_gw: $out"
lxc_in 1 exec c1 -- sh -c 'dd if=/dev/urandom of=/tmp/tx bs=1k count=1024 2>/dev/null'
# busybox nc ends the connection once its stdin ends: both ends keep stdin open for a while.
(lxc_in 1 exec c2 -- sh -c 'rm -f /tmp/rx; sleep 22 | timeout 20 nc -l -p 5100 > /tmp/rx' >/dev/null 2>&1 &)
sleep 1
lxc_in 1 exec c1 -- sh -c "(cat /tmp/tx; sleep 3) | timeout 15 nc $ip2 5100" >/dev/null 2>&1 || true
for _ in $(seq 40); do
  [ "$(lxc_in 1 exec c2 -- sh -c 'wc -c < /tmp/rx' 2>/dev/null | tr -d ' ')" = 1048576 ] && break
  sleep 0.5
done
sent=$(lxc_in 1 exec c1 -- md5sum /tmp/tx | cut -d' ' -f1)
got=$(lxc_in 1 exec c2 -- md5sum /tmp/rx | cut -d' ' -f1)
[ "$sent" = "$got" ] || fail "1 MB over TCP from c1 to c2 arrived changed: $sent vs $got ($(lxc_in 1 exec c2 -- wc -c /tmp/rx))"
pass "c1 on m1 ($ip1) and c2 on m3 ($ip2): ping over geneve on eth1, ping to the uplink gateway, 1 MB over TCP intact; first cross-member ping $((t_ping - t0)) ms after preseed started ($((t_ping - t_launch)) ms after the launches)"

# ---- the NB leader's ovsdb-server killed: writes go on, traffic goes on -----------------------------------
leader=""
for m in 1 2 3; do grep -q '^Role: leader' <<<"$(raft "$m" nb Northbound)" && leader=$m; done
[ -n "$leader" ] || fail "no member says it leads the NB cluster"
pid=$(in_m "$leader" sh -c 'cat "$OVN_RUNDIR/ovnnb_db.pid"')
restart=$(tr '\0' ' ' <"/proc/$pid/cmdline")  # how ovn-ctl started it, to bring it back afterwards
kill -9 "$pid"
t_kill=$(now_ms)
other=$((leader % 3 + 1))
nb_all=$(for m in 1 2 3; do printf 'ssl:%s:6641,' "$(addr "$m")"; done)
written=""
for _ in $(seq 60); do
  if in_m "$other" sh -c "pki=\$OVN_DBDIR/microcloud-pki; ovn-nbctl --db=${nb_all%,} -p \$pki/ovn.key -c \$pki/ovn.crt -C \$pki/ca.crt --timeout=3 ls-add probe-after-kill" >/dev/null 2>&1; then
    written=$(now_ms); break
  fi
  sleep 0.25
done
[ -n "$written" ] || fail "no NB write succeeded within 15 s after the NB leader (m$leader) was killed"
((written - t_kill <= 15000)) || fail "the first NB write took $((written - t_kill)) ms after the leader was killed"
out=$(lxc_in 1 exec c1 -- ping -c 3 -W 2 "$ip2" 2>&1) || fail "c1 no longer reaches c2 after the NB leader died: $out"
# Back as its supervisor would bring it (SIGKILL ends ovsdb-server's --monitor too).
in_m "$leader" sh -c "$restart" || fail "could not start m$leader's NB database again: $restart"
for _ in $(seq 60); do grep -q '^Status: cluster member' <<<"$(raft "$leader" nb Northbound)" && break; sleep 0.25; done
grep -q '^Status: cluster member' <<<"$(raft "$leader" nb Northbound)" || fail "m$leader's NB database did not rejoin"
pass "NB leader (m$leader) killed: a write went through after $((written - t_kill)) ms, c1 still reaches c2; restarted, it rejoined"

# ---- m4 added: a chassis only; its container reaches c1 ------------------------------------------------------
write_preseed "$TEST_TMP/add.yaml" m1 m4
preseed_on "$TEST_TMP/add.yaml" 1 4
for m in 1 4; do [ "$(cat "$TEST_TMP/rc-m$m")" = 0 ] || fail "add preseed on m$m failed: $(cat "$TEST_TMP/out-m$m")"; done
[ -z "$(raft 4 nb Northbound)" ] || fail "m4 runs an NB database although three centrals exist"
for _ in $(seq 40); do sb 1 --bare --columns=name list Chassis | grep -qx m4 && break; sleep 0.25; done
sb 1 --bare --columns=name list Chassis | grep -qx m4 || fail "m4's chassis is not registered"
lxd_log() { tail -n 15 "$(jq -r ".members[$(($1 - 1))].member_dir" <<<"$LAB_TEST_STATUS")/logs/lxd-daemon.log"; }
out=$(lxc_in 1 launch busybox c4 --target m4 </dev/null 2>&1) || fail "lxc launch c4 on m4: ${out##*$'\r'} (m4's LXD log: $(lxd_log 4))"
ip4=$(lease c4)
out=$(lxc_in 1 exec c4 -- ping -c 3 -W 2 "$ip1" 2>&1) || fail "c4 on m4 cannot ping c1: $out"
health=$(mc 4 status --format json | jq -c '.members[] | select(.name == "m4") | .plugins.ovn.health | {chassis_registered, chassis_from}')
[ "$health" = '{"chassis_registered":true,"chassis_from":"ovn-sbctl"}' ] || fail "m4's OVN status (no database of its own): $health"
pass "m4 added as a chassis only (no database); c4 on m4 ($ip4) reaches c1; its status asks the centrals"

# ---- m3 removed: chassis gone, raft clusters of 2 healthy ----------------------------------------------------
lxc_in 1 delete -f c2 >/dev/null || fail "could not delete c2"
out=$(mc 1 remove m3 2>&1) || fail "remove m3: $out"
echo "$out"
chassis=$(sb 1 --bare --columns=name list Chassis | grep . | sort | tr '\n' ' ')
[ "$chassis" = "m1 m2 m4 " ] || fail "chassis after remove m3: '$chassis'"
for db in "nb Northbound" "sb Southbound"; do
  set -- $db
  status=$(raft 1 "$1" "$2")
  [ "$(grep -c ' at ssl:' <<<"$status")" = 2 ] || fail "the $2 raft cluster is not of 2 after remove m3: $status"
  grep -q '^Leader: unknown' <<<"$status" && fail "the $2 cluster has no leader after remove m3: $status"
done
[ -z "$(ovn_daemons_of 3)" ] || fail "m3 still runs OVN daemons: $(ovn_daemons_of 3)"
out=$(lxc_in 1 exec c4 -- ping -c 3 -W 2 "$ip1" 2>&1) || fail "c4 no longer reaches c1 after remove m3: $out"
pass "remove m3: chassis m1 m2 m4 left, NB and SB raft of 2 with a leader, m3 runs no OVN, c4 still reaches c1"
