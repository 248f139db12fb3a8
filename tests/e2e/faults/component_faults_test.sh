#!/usr/bin/env bash
# tests/e2e/faults/component_faults_test.sh - the fault matrix's component-daemon column for OVN and
# Ceph (the cases that take long; the quick ones are in ovn_network_test.sh and ceph_storage_test.sh):
# a 3-member formation by preseed with a daemon the plugin relies on SIGKILLed at one step:
#   ovn/discover@2   m2's ovs-vswitchd as the discovery reports are collected
#   ovn/bootstrap@1  m1's Open vSwitch ovsdb-server as OVN bootstraps on m1
#   ovn/vswitchd@2   m2's ovs-vswitchd as m2 joins OVN
#   ovn/nb@1         m1's OVN Northbound ovsdb-server once OVN is bootstrapped, as m2 and m3 join
#   ovn/ovsdb@3      m3's Open vSwitch ovsdb-server as m3 joins OVN (also in ovn_network_test.sh)
#   lxd/configure@2  m2's LXD once OVN is configured, as LXD's configure runs (on m1): the rollback
#                    on m3 takes the silent m2 out of LXD's cluster before m3 leaves, and m2's own
#                    LXD state is set aside so that it starts standalone
#   ceph/bootstrap@1 m1's new ceph-mon (once it runs) as Ceph bootstraps on m1
#   ceph/mon@3       m3's new ceph-mon as m3 joins Ceph
#   ceph/osd@2       m2's new ceph-osd daemon (its start returned) as m2 joins Ceph
#   ceph/osd-mkfs@2  m2's first ceph-osd with a pid file (bluestore being made) as m2 joins Ceph
#   ceph/mon@1       m1's ceph-mon once Ceph is bootstrapped, as m2 and m3 join (also in ceph_storage_test.sh)
# and the configure column, where one of three may go (a raft or quorum of three): the run is to
# form the cloud all the same, through the two left:
#   ovn/configure@1  m1's OVN Northbound ovsdb-server once every member joined LXD (LXD's configure
#                    makes its OVN network)
#   ceph/configure@1 m1's ceph-mon once every member joined LXD (Ceph's configure makes the pools,
#                    LXD's its `remote` pool)
# (OVN's token and configure read and write only files; Ceph's token is in ceph/mon@1.)
# For every other case: the run fails (within the test's timeout; the seconds are printed) with an error
# naming member, plugin and step; no member is left in a MicroCloud cluster, no LXD clustered, and the
# component's daemons, files and settings are taken back on every member. After the cases of one
# component the killed daemons are started again and the same preseed forms the cloud. Prints
# the table: case | seconds | re-run ok | error seen.
# Usage: component_faults_test.sh BUILD_DIR [CASE...]   Exit 0: passed; 77: skipped.
# CTest runs it with the label e2e-long, only when MICROCLOUD_E2E_LONG=1 (it takes ~10 minutes).
source "$(dirname "$0")/../../lib/testlib.sh"
source "$(dirname "$0")/../../lib/labtest.sh"
build=${1:?usage: component_faults_test.sh BUILD_DIR [CASE...]}
shift
if [ "${MICROCLOUD_E2E_LONG:-0}" != 1 ] && [ -n "${CTEST_E2E_LONG_GATE:-}" ]; then
  echo "SKIP: set MICROCLOUD_E2E_LONG=1 to run the long e2e fault cases" >&2
  exit 77
fi
lab_test_setup cft "$build" lxd lxc ovsdb-server ovn-northd ovn-controller ceph ceph-mon ceph-osd ceph-authtool monmaptool
cases=("$@")
((${#cases[@]})) ||
  cases=(ovn/discover@2 ovn/bootstrap@1 ovn/vswitchd@2 ovn/nb@1 lxd/configure@2 ovn/configure@1 ceph/bootstrap@1 ceph/mon@3
    ceph/osd@2 ceph/osd-mkfs@2 ceph/configure@1)

group=""
# up GROUP: a fresh lab of 3 members for GROUP's cases (ovn: components; ceph: components, one 4 GiB
# disk each), and GROUP's preseed in $TEST_TMP/GROUP.yaml.
up() {
  local m
  lab down >/dev/null 2>&1 || true
  group=$1
  if [ "$group" = ovn ]; then
    lab up --members 3 --components --build-dir "$build" >/dev/null || fail "lab up for the OVN cases"
  else
    lab up --members 3 --components --disks 1 --disk-size 4G --disable-plugin fan --build-dir "$build" >/dev/null ||
      fail "lab up for the Ceph cases"
  fi
  lab_status
  { echo "initiator: m1"; echo "lookup_subnet: $(lab_subnet)"; echo "session_passphrase: component fault pass phrase"
    echo "session_timeout: 90s"; echo "systems:"
    for m in 1 2 3; do
      echo "- name: m$m"
      if [ "$group" = ovn ]; then
        echo "  ovn_uplink_interface: $(jq -r ".members[$((m - 1))].uplink_bridge" <<<"$LAB_TEST_STATUS")"
        echo "  ovn_underlay_ip: $(jq -r ".members[$((m - 1))].underlay_address" <<<"$LAB_TEST_STATUS")"
      fi
    done
    if [ "$group" = ovn ]; then
      gw=$(jq -r .uplink.gateway <<<"$LAB_TEST_STATUS")
      echo "ovn:"; echo "  ipv4_gateway: $gw/24"; echo "  ipv4_range: $(jq -r .uplink.free_range <<<"$LAB_TEST_STATUS")"
      echo "  dns_servers: $gw"
    else
      echo "ceph:"; echo "  public_network: $(lab_subnet)"; echo "  internal_network: $(jq -r .underlay_subnet <<<"$LAB_TEST_STATUS")"
      echo "storage:"; echo "  ceph:"; echo '  - find: size >= 4GiB && size < 5GiB'; echo "    find_min: 1"; echo "    wipe: true"
    fi
  } >"$TEST_TMP/$group.yaml"

}

ovs_db='$OVS_RUNDIR/ovsdb-server.pid'
vswitchd='$OVS_RUNDIR/ovs-vswitchd.pid'
nb='$OVN_RUNDIR/ovnnb_db.pid'
ceph_run='${CEPH_CONF%/etc/ceph.conf}/run'

# kill_running_osd N: once member mN runs a ceph-osd daemon whose start has returned (not --mkfs,
# its starting parent gone), kill_daemon on it (up to 90 s).
kill_running_osd() {
  local m=$1 pidfile="$ceph_run/ceph-osd.*.pid" pid ppid deadline=$(($(date +%s) + 90))
  while (($(date +%s) < deadline)); do
    if pid=$(live_pid "$m" "$pidfile" --mkfs); then
      ppid=$(awk '{print $4}' "/proc/$pid/stat" 2>/dev/null) || ppid=""
      [ -n "$ppid" ] && [ "$(cat "/proc/$ppid/comm" 2>/dev/null)" != ceph-osd ] && { kill_daemon "$m" "$pidfile" --mkfs; return; }
    fi
    sleep 0.2
  done
  echo "kill_running_osd: m$m ran no ceph-osd daemon within 90 s"
  return 1
}

# group_of CASE: the lab and preseed CASE runs with (LXD's cases run on top of OVN).
group_of() { case $1 in ceph/*) echo ceph ;; *) echo ovn ;; esac; }
# tolerated CASE: true for the cases whose run is to form the cloud all the same.
tolerated() { case $1 in */configure@1) return 0 ;; *) return 1 ;; esac; }

# tolerated_case CASE WHAT: after a preseed_with_fault that killed one of three raft or quorum
# members once every member had joined: the run formed the cloud anyway and LXD made WHAT ("network
# default", "storage remote") through the two left; the lab is then left for a fresh one.
tolerated_case() {
  local c=$1 what=$2 out seconds m
  fault_happened "$c"
  out=$FAULT_OUT seconds=$FAULT_SECONDS
  [ "$(cat "$TEST_TMP/fault-rc")" = 0 ] || fail "$c: the run failed on m1 although two of three were left: $out"
  for m in 2 3; do
    [ "$(cat "$TEST_TMP/rc-m$m")" = 0 ] || fail "$c: the run failed on m$m: $(cat "$TEST_TMP/out-m$m")"
  done
  wait_online 1 3 || fail "$c: not all 3 members ONLINE"
  [ "$(lab exec m1 -- lxc $what | awk '/^status:/ {print $2}')" = Created ] ||
    fail "$c: LXD's $what is not Created: $(lab exec m1 -- lxc $what)"
  pass "$c: the run formed the cloud $seconds s after the fault, LXD's ${what/ show / } Created"
  printf '%s|%s|%s|n/a\n' "$c" "none: formed the cloud with two of three, LXD's ${what/ show / } Created" "$seconds" >>"$TEST_TMP/fault-table"
  group=""
}

# one_case CASE: the run with CASE's fault, its checks, and what to start again before the re-run.
one_case() {
  local c=$1 trigger action regex restart="" what
  case $c in
  ovn/discover@2) trigger="Collecting every member's discovery reports" action="kill_daemon 2 '$vswitchd'"
    restart="restart_daemon 2 '$vswitchd'" regex='Open vSwitch is not running on m2|Plugin ovn failed on member m2' ;;
  ovn/bootstrap@1) trigger="Bootstrapping ovn on m1" action="kill_daemon 1 '$ovs_db'" restart="restart_daemon 1 '$ovs_db'"
    regex='Plugin ovn failed on member m1 at step "(join|bootstrap)"' ;;
  ovn/vswitchd@2) trigger="Joining m2 to ovn" action="kill_daemon 2 '$vswitchd'" restart="restart_daemon 2 '$vswitchd'"
    regex='Plugin ovn failed on member m2 at step "join"' ;;
  ovn/nb@1) trigger="Joining m[23] to ovn" action="kill_daemon 1 '$nb'"
    regex='Plugin ovn failed on member m[23] at step "join"' ;;
  ovn/ovsdb@3) trigger="Joining m3 to ovn" action="kill_daemon 3 '$ovs_db'" restart="restart_daemon 3 '$ovs_db'"
    regex='Plugin ovn failed on member m3 at step "join"' ;;
  lxd/configure@2) trigger="Plugin ovn configured the cluster" action="lab stop m2 --lxd --kill" restart="lab start m2 --lxd"
    regex='Plugin lxd failed on member m[12] at step "configure"' ;;
  ceph/bootstrap@1) trigger="Bootstrapping ceph on m1" action="kill_daemon_once_up 1 '$ceph_run/ceph-mon.m1.pid' 60"
    regex='Plugin ceph failed on member m1 at step "(join|bootstrap)"' ;;
  ceph/mon@3) trigger="Joining m3 to ceph" action="kill_daemon_once_up 3 '$ceph_run/ceph-mon.m3.pid' 60"
    regex='Plugin ceph failed on member m3 at step "join"' ;;
  ceph/osd@2) trigger="Joining m2 to ceph" action="kill_running_osd 2"
    regex='Plugin ceph failed on member m2 at step "join"' ;;
  ceph/osd-mkfs@2) trigger="Joining m2 to ceph" action="kill_daemon_once_up 2 '$ceph_run/ceph-osd.*.pid' 90"
    regex='Plugin ceph failed on member m2 at step "join"' ;;
  ceph/mon@1) trigger="Joining m[23] to ceph" action="kill_daemon 1 '$ceph_run/ceph-mon.m1.pid'"
    regex='Plugin ceph failed on member m[123] at step "(join|issue a token for m[23])"' ;;
  ovn/configure@1) trigger="Joining m3 to lxd" action="kill_daemon 1 '$nb'" what="network show default" ;;
  ceph/configure@1) trigger="Joining m3 to lxd" action="kill_daemon 1 '$ceph_run/ceph-mon.m1.pid'"
    what="storage show remote" ;;
  *) fail "unknown case $c (accepted: ovn/discover@2 ovn/bootstrap@1 ovn/vswitchd@2 ovn/nb@1 ovn/ovsdb@3 ovn/configure@1 lxd/configure@2 ceph/bootstrap@1 ceph/mon@3 ceph/osd@2 ceph/osd-mkfs@2 ceph/mon@1 ceph/configure@1)" ;;
  esac
  if [ "$group" != "$(group_of "$c")" ] || tolerated "$c"; then up "$(group_of "$c")"; fi
  echo "---- $c: $action once \"$trigger\""
  preseed_with_fault "$TEST_TMP/$group.yaml" "$trigger" "$action" 1 2 3
  if tolerated "$c"; then
    tolerated_case "$c" "$what"
    return
  fi
  fault_case "$c" "$regex"
  # A killed OVS daemon or LXD is the machine's, not the run's: it is started again before the checks.
  [ -z "$restart" ] || eval "$restart" >/dev/null
  expect_not_clustered 1 2 3
  expect_lxd_standalone 1 2 3
  if [ "$group" = ovn ]; then expect_ovn_taken_back 1 2 3; else expect_ceph_taken_back 0 1 2 3; fi
  pass "$c: no member clustered, no LXD clustered, $group taken back on m1-m3"
}

# rerun: the same preseed on every member of the current group's lab forms the cloud.
rerun() {
  local m
  preseed_on "$TEST_TMP/$group.yaml" 1 2 3
  for m in 1 2 3; do
    [ "$(cat "$TEST_TMP/rc-m$m")" = 0 ] || fail "the re-run of the $group preseed failed on m$m: $(cat "$TEST_TMP/out-m$m")"
  done
  cat "$TEST_TMP/out-m1"
  wait_online 1 3 || fail "not all 3 members ONLINE after the re-run"
  sed -i "s/^\([^|]*|[^|]*|[^|]*\)\$/\1|yes/" "$TEST_TMP/fault-table"
  pass "the same $group preseed formed the cloud after its fault cases"
}

t_all=$(now_ms)
for c in "${cases[@]}"; do
  if [ -n "$group" ] && { [ "$group" != "$(group_of "$c")" ] || tolerated "$c"; }; then rerun; fi
  one_case "$c"
done
[ -z "$group" ] || rerun
# fault_table's columns, with the re-run result of each case's group.
echo
printf '%-16s | %-8s | %-9s | %s\n' case seconds "re-run ok" "error seen"
while IFS='|' read -r name error seconds ok; do
  printf '%-16s | %-8s | %-9s | %s\n' "$name" "$seconds" "${ok:-no}" "$error"
done <"$TEST_TMP/fault-table"
echo "all cases and re-runs in $(( ($(now_ms) - t_all) / 1000 )) s"
