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
  rm -f "$TEST_TMP/fault-out" "$TEST_TMP/fault-done"
  for m in "$@"; do (set +e; mc "$m" preseed <"$file" >"$TEST_TMP/out-m$m" 2>&1) & pids+=($!); done
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
