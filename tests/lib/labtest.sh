# tests/lib/labtest.sh - shared set-up of the lab-based integration tests (sourced after
# testlib.sh): skip unless root with the tools at hand, one lab per test run that is always taken
# down, and helpers to run commands in its members.
#   lab_test_setup PREFIX BUILD_DIR [TOOL...]
# defines: lab ARGS (scripts/lab on this test's lab), mc N ARGS (microcloud in member mN),
# addr N (mN's cluster address, after lab_status), now_ms.

lab_test_setup() {
  local prefix=$1 tool
  LAB_TEST_BUILD=$2
  shift 2
  LAB_TEST_TOOL=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/scripts/lab
  LAB_TEST_NAME=$prefix$$
  export MICROCLOUD_LAB_ROOT=$TEST_TMP/labs
  [ "$(id -u)" = 0 ] || { echo "SKIP: the lab needs root" >&2; exit 77; }
  for tool in ip losetup nsenter unshare jq "$@"; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed" >&2; exit 77; }
  done
  [ -x "$LAB_TEST_BUILD/bin/microcloudd" ] || fail "$LAB_TEST_BUILD/bin/microcloudd is missing: build the microcloudd target"
  on_exit lab_test_down
}

lab() { "$LAB_TEST_TOOL" --name "$LAB_TEST_NAME" "$@"; }
lab_test_down() { lab down >/dev/null 2>&1 || true; }
mc() { local m=$1; shift; lab exec "m$m" -- microcloud "$@"; }
now_ms() { date +%s%3N; }
# Reads the lab's status once (after `lab up`) for addr and lab_subnet.
lab_status() { LAB_TEST_STATUS=$(lab status --format json); }
addr() { jq -r ".members[$(($1 - 1))].address" <<<"$LAB_TEST_STATUS"; }
lab_subnet() { jq -r .subnet <<<"$LAB_TEST_STATUS"; }
# wait_online M N: true once member mM lists N members, all ONLINE (up to 10 s; trust reaches
# the members within an upkeep round).
wait_online() {
  local i
  for i in $(seq 50); do
    mc "$1" cluster list --format json 2>/dev/null | jq -e "length == $2 and all(.status == \"ONLINE\")" >/dev/null && return 0
    sleep 0.2
  done
  return 1
}
# preseed_on FILE N...: `microcloud preseed < FILE` on members mN... at once; each member's output
# goes to $TEST_TMP/out-mN and its exit status to $TEST_TMP/rc-mN.
preseed_on() {
  local file=$1 m pids=()
  shift
  for m in "$@"; do
    (set +e; mc "$m" preseed <"$file" >"$TEST_TMP/out-m$m" 2>&1; echo $? >"$TEST_TMP/rc-m$m") &
    pids+=($!)
  done
  for m in "${pids[@]}"; do wait "$m" || true; done
}
# preseed_with_fault FILE REGEX ACTION N...: like preseed_on, the first member (the initiator)
# read line by line into $TEST_TMP/fault-out; the first time a line matches REGEX, ACTION (a
# command line, run with eval) acts out a fault. The initiator's exit status goes to $TEST_TMP/fault-rc.
preseed_with_fault() {
  local file=$1 regex=$2 action=$3 first=$4 m pids=()
  shift 4
  rm -f "$TEST_TMP/fault-out" "$TEST_TMP/fault-done" "$TEST_TMP/fault-rc"
  for m in "$@"; do
    rm -f "$TEST_TMP/rc-m$m"
    (set +e; mc "$m" preseed <"$file" >"$TEST_TMP/out-m$m" 2>&1; echo $? >"$TEST_TMP/rc-m$m") & pids+=($!)
  done
  (set +e
   mc "$first" preseed <"$file" 2>&1 | while IFS= read -r line; do
     echo "$line" >>"$TEST_TMP/fault-out"
     if [[ $line =~ $regex ]] && [ ! -e "$TEST_TMP/fault-done" ]; then
       : >"$TEST_TMP/fault-done"
       eval "$action" >>"$TEST_TMP/fault-out" 2>&1
     fi
   done
   echo "${PIPESTATUS[0]}" >"$TEST_TMP/fault-rc")
  for m in "${pids[@]}"; do wait "$m" || true; done
}
# expect_rolled_back_after_lxd PLUGIN: after a preseed_with_fault that killed m3's LXD once PLUGIN
# had joined every member: the run failed, named LXD's join on m3, and took PLUGIN's joins back.
expect_rolled_back_after_lxd() {
  local plugin=$1 out
  out=$(cat "$TEST_TMP/fault-out")
  echo "$out"
  [ "$(cat "$TEST_TMP/fault-rc")" != 0 ] || fail "the run succeeded although m3's LXD was killed"
  expect_contains "$out" "Joining m3 to $plugin" "$plugin joined m3 before LXD failed"
  expect_contains "$out" 'Plugin lxd failed on member m3 at step "join"' "the failure names member, plugin and step"
  expect_contains "$out" "Rolling back: $plugin on m1" "$plugin's joins are rolled back"
}
# form_again FILE N...: after such a fault, m3's LXD started again and `preseed` with FILE on mN...
# must succeed on each; sets t0 and t_formed (ms) around the run and prints m1's output.
form_again() {
  local file=$1 m
  shift
  lab start m3 --lxd >/dev/null || fail "could not start m3's LXD again"
  t0=$(now_ms)
  preseed_on "$file" "$@"
  t_formed=$(now_ms)
  for m in "$@"; do [ "$(cat "$TEST_TMP/rc-m$m")" = 0 ] || fail "preseed on m$m failed: $(cat "$TEST_TMP/out-m$m")"; done
  cat "$TEST_TMP/out-m1"
}

# ---- component daemons killed during a run (the e2e fault cases) -----------------------------------
# live_pid N PIDFILE [NOT]: the first live process (no zombie) that the pid file(s) PIDFILE of mN
# name (expanded inside the member, e.g. '$OVS_RUNDIR/ovsdb-server.pid'; a pattern may match several,
# stale ones too; no spaces) whose command line does not contain NOT (e.g. --mkfs); fails if none.
live_pid() {
  local m=$1 pidfile=$2 not=${3:-} pid
  for pid in $(lab exec "m$m" -- sh -c "cat $pidfile 2>/dev/null" 2>/dev/null || true); do
    [[ $pid =~ ^[0-9]+$ ]] && [ -e "/proc/$pid" ] && [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ] || continue
    [ -z "$not" ] || ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -e "$not" || continue
    echo "$pid"
    return 0
  done
  return 1
}
daemon_running() { live_pid "$@" >/dev/null; }
# kill_daemon N PIDFILE [NOT]: SIGKILLs mN's daemon live_pid finds, keeps its command line for
# restart_daemon and waits until it is gone (a zombie at most).
kill_daemon() {
  local m=$1 pidfile=$2 not=${3:-} pid key
  pid=$(live_pid "$m" "$pidfile" "$not") || { echo "kill_daemon: m$m runs no daemon with the pid file $pidfile"; return 1; }
  key=$TEST_TMP/killed-m$m-$(basename "$pidfile" .pid | tr -c 'A-Za-z0-9._\n-' _)
  cp "/proc/$pid/cmdline" "$key.cmdline"
  kill -KILL "$pid"
  for _ in $(seq 100); do [ -e "/proc/$pid" ] && [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ] || break; sleep 0.1; done
  echo "killed $(basename "$pidfile" .pid) of m$m (pid $pid)"
}
# kill_daemon_once_up N PIDFILE SECONDS [NOT]: waits (up to SECONDS) until live_pid finds the
# daemon, then kill_daemon.
kill_daemon_once_up() {
  local m=$1 pidfile=$2 seconds=$3 not=${4:-} deadline
  deadline=$(($(date +%s) + seconds))
  while (($(date +%s) < deadline)); do
    if daemon_running "$m" "$pidfile" "$not"; then
      kill_daemon "$m" "$pidfile" "$not"
      return
    fi
    sleep 0.2
  done
  echo "kill_daemon_once_up: $pidfile of m$m did not come up within $seconds s"
  return 1
}
# restart_daemon N PIDFILE: starts a daemon that kill_daemon killed again, the same way, in mN
# (its output goes to $TEST_TMP), and waits (up to 30 s) until its pid file names a live process.
restart_daemon() {
  local m=$1 pidfile=$2 key args
  key=$TEST_TMP/killed-m$m-$(basename "$pidfile" .pid | tr -c 'A-Za-z0-9._\n-' _)
  [ -f "$key.cmdline" ] || fail "restart_daemon: nothing of m$m with the pid file $pidfile was killed"
  mapfile -d '' -t args <"$key.cmdline"
  lab exec "m$m" -- sh -c 'log=$1; shift; setsid "$@" >>"$log" 2>&1 </dev/null &' sh "$key.log" "${args[@]}"
  for _ in $(seq 150); do daemon_running "$m" "$pidfile" && return 0; sleep 0.2; done
  fail "m$m's ${args[0]} did not start again: $(cat "$key.log" 2>/dev/null)"
}
# expect_not_clustered N...: no member mN is left in a MicroCloud cluster (waits up to 10 s for the
# members the run admitted to forget it).
expect_not_clustered() {
  local m out
  for m in "$@"; do
    for _ in $(seq 50); do mc "$m" cluster list >/dev/null 2>&1 || break; sleep 0.2; done
    out=$(mc "$m" cluster list 2>&1) && fail "m$m is still a MicroCloud member: $out"
  done
  return 0
}
# expect_lxd_standalone N...: each mN's LXD (if it runs) is not clustered.
expect_lxd_standalone() {
  local m clustered
  for m in "$@"; do
    clustered=$(lab exec "m$m" -- lxc query /1.0 2>/dev/null | jq -r .environment.server_clustered) || continue
    [ "$clustered" != true ] || fail "m$m's LXD is still clustered after the rollback: $(lab exec "m$m" -- lxc cluster list 2>&1); m1's microcloudd said: $(grep -ih 'rollback\|teardown' "$(jq -r '.members[0].member_dir' <<<"$LAB_TEST_STATUS")/logs/microcloudd.log" | tail -n 8)"
  done
}
# expect_ovn_taken_back N...: no OVN daemon, OVN file, ovn-remote or br-int left on mN (OVS must run).
expect_ovn_taken_back() {
  local m running ids
  for m in "$@"; do
    running=$(lab exec "m$m" -- sh -c 'for f in "$OVN_RUNDIR"/*.pid; do [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && basename "$f"; done; true')
    [ -z "$running" ] || fail "OVN daemons still run on m$m after the rollback: $running"
    lab exec "m$m" -- sh -c 'ls "$OVN_DBDIR"' | grep -q . && fail "m$m keeps OVN files after the rollback: $(lab exec "m$m" -- sh -c 'ls "$OVN_DBDIR"')"
    ids=$(lab exec "m$m" -- ovs-vsctl --timeout=10 get Open_vSwitch . external_ids) || fail "cannot read m$m's OVS external_ids"
    [[ $ids != *ovn-remote* ]] || fail "m$m keeps ovn-remote after the rollback: $ids"
    lab exec "m$m" -- ovs-vsctl --timeout=10 br-exists br-int && fail "m$m keeps br-int after the rollback"
  done
  return 0
}
# expect_ceph_taken_back DISKINDEX N...: no Ceph daemon or file (nor pid file or admin socket) left
# on mN, no bluestore label on
# mN's disk number DISKINDEX (as `lab status` lists them).
expect_ceph_taken_back() {
  local index=$1 m running left disk
  shift
  for m in "$@"; do
    running=$(lab exec "m$m" -- sh -c 'for f in "${CEPH_CONF%/etc/ceph.conf}"/run/*.pid; do [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && basename "$f" .pid; done; true')
    [ -z "$running" ] || fail "Ceph daemons still run on m$m after the rollback: $running"
    left=$(lab exec "m$m" -- sh -c 'ls "${CEPH_CONF%/ceph.conf}"; ls "${CEPH_CONF%/etc/ceph.conf}/data/osd" "${CEPH_CONF%/etc/ceph.conf}/data/mon" 2>/dev/null; true' | tr '\n' ' ')
    [ -z "${left// /}" ] || fail "m$m keeps Ceph files after the rollback: $left"
    left=$(lab exec "m$m" -- sh -c 'cd "${CEPH_CONF%/etc/ceph.conf}/run" 2>/dev/null && ls -d ceph-*.pid ceph-*.asok 2>/dev/null; true' | tr '\n' ' ')
    [ -z "${left// /}" ] || fail "m$m keeps pid files or admin sockets of Ceph daemons after the rollback: $left"
    disk=$(jq -r ".members[$((m - 1))].disks[$index]" <<<"$LAB_TEST_STATUS")
    head -c 22 "$disk" | grep -q 'bluestore' && fail "m$m's Ceph disk $disk still has a bluestore label after the rollback"
  done
  return 0
}
# fault_case NAME REGEX: right after a preseed_with_fault: the run failed with an error matching
# REGEX (member, plugin and step); adds a row to $TEST_TMP/fault-table (seconds from the fault to the
# end of every member's run) and prints the run's output. fault_table RERUN prints the table
# (case | seconds | re-run ok | error seen).
# fault_happened NAME: right after a preseed_with_fault: the fault was acted out and a daemon
# killed; prints the run's output and sets FAULT_OUT (that output) and FAULT_SECONDS (from the
# fault to the end of every member's run).
fault_happened() {
  local name=$1
  [ -e "$TEST_TMP/fault-done" ] || fail "$name: the fault never happened (no line matched): $(cat "$TEST_TMP/fault-out")"
  FAULT_SECONDS=$(awk -v end="$(date +%s.%N)" -v t="$(stat -c %.3Y "$TEST_TMP/fault-done")" 'BEGIN { printf "%.1f", end - t }')
  FAULT_OUT=$(cat "$TEST_TMP/fault-out")
  echo "$FAULT_OUT"
  grep -q 'killed' <<<"$FAULT_OUT" || fail "$name: the daemon was not killed: $FAULT_OUT"
}
fault_case() {
  local name=$1 regex=$2 out error seconds
  fault_happened "$name"
  out=$FAULT_OUT seconds=$FAULT_SECONDS
  [ "$(cat "$TEST_TMP/fault-rc")" != 0 ] || fail "$name: the run succeeded"
  error=$(grep -E "$regex" <<<"$out" | head -1) || fail "$name: no error matching '$regex' in: $out"
  pass "$name: the run failed after $seconds s: $error"
  printf '%s|%s|%s\n' "$name" "${error:0:160}" "$seconds" >>"$TEST_TMP/fault-table"
}
fault_table() {
  local rerun=$1 name error seconds
  [ -s "$TEST_TMP/fault-table" ] || return 0
  echo
  printf '%-34s | %-8s | %-9s | %s\n' case seconds "re-run ok" "error seen"
  while IFS='|' read -r name error seconds; do
    printf '%-34s | %-8s | %-9s | %s\n' "$name" "$seconds" "${rerun%% *}" "$error"
  done <"$TEST_TMP/fault-table"
  [ "$rerun" = "${rerun%% *}" ] || echo "re-run: ${rerun#* }"
}
