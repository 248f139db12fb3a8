#!/usr/bin/env bash
# tests/integration/formation/components_test.sh - the component steps of formation with real
# daemons and a real plugin (the recorder test plugin, loaded by every member): a preseed whose
# recorder join fails on m3 names member, plugin and step, tears down what it had joined (m1, m2)
# and leaves every machine outside a cluster; a cloud formed without the recorder then gets it by
# `service add recorder`: bootstrapped on m1, m2 and m3 joined with tokens m1 issued, configured once.
# Usage: components_test.sh BUILD_DIR PLUGIN_DIR    Exit 0: passed; 77: skipped.
source "$(dirname "$0")/../../lib/testlib.sh"
source "$(dirname "$0")/../../lib/labtest.sh"
build=${1:?usage: components_test.sh BUILD_DIR PLUGIN_DIR}
plugins=${2:?usage: components_test.sh BUILD_DIR PLUGIN_DIR}
lab_test_setup cmp "$build"
[ -f "$plugins/recorder/recorder.so" ] || fail "$plugins/recorder/recorder.so is missing: build microcloud-plugin-recorder"

lab up --members 3 --disks 0 --build-dir "$build" --disable-plugin fan --microcloudd-arg "--plugin-dir=$plugins" >/dev/null || fail "lab up"
lab_status
subnet=$(lab_subnet)
state() { jq -r ".members[$(($1 - 1))].state_dir" <<<"$LAB_TEST_STATUS"; }
log_of() { cat "$(state "$1")/recorder.log" 2>/dev/null || true; }
mc 1 plugin list --format json | jq -e '.[] | select(.name == "recorder") | .state == "loaded"' >/dev/null ||
  fail "the recorder plugin did not load: $(mc 1 plugin list)"

write_preseed() {  # write_preseed FILE [RECORDER-KEY MEMBER]
  { echo "initiator: m1"; echo "lookup_subnet: $subnet"; echo "session_passphrase: a b c d"
    echo "session_timeout: 60s"; echo "systems:"; for m in m1 m2 m3; do echo "- name: $m"; done
    [ -z "${2:-}" ] || { echo "recorder:"; echo "  $2: $3"; }; } >"$1"
}
unclustered_all() {  # every member says it is outside a cluster (a removal notice is acted on shortly after)
  local m
  for m in 1 2 3; do mc "$m" cluster list 2>&1 | grep -q "not part of a cluster" || return 1; done
}
run_once() {  # run_once FILE: preseed on m1..m3 at once; leaves outputs in $TEST_TMP/out-mN
  local m pids=()
  for m in 1 2 3; do
    rm -f "$TEST_TMP/rc-m$m"
    (set +e; mc "$m" preseed <"$1" >"$TEST_TMP/out-m$m" 2>&1; echo $? >"$TEST_TMP/rc-m$m") &
    pids+=($!)
  done
  for m in "${pids[@]}"; do wait "$m" || true; done
  for m in 1 2 3; do [ -s "$TEST_TMP/rc-m$m" ] || fail "preseed on m$m left no exit status"; done
}
# run_all FILE: run_once; a joiner that did not reach the session at all is not what this test is
# about (formation_test covers discovery): that run is shown in full, with the daemons' logs, and
# made once more.
run_all() {
  local m
  run_once "$1"
  grep -q "did not join within the session timeout" "$TEST_TMP/out-m1" || return 0
  echo "NOTE: a joiner did not reach the session; the run, then each member's output and daemon log:"
  for m in 1 2 3; do
    echo "--- m$m (exit $(cat "$TEST_TMP/rc-m$m"))"; cat "$TEST_TMP/out-m$m"
    tail -n 40 "$MICROCLOUD_LAB_ROOT/$LAB_TEST_NAME/m$m/logs/microcloudd.log" 2>/dev/null || true
  done
  for _ in $(seq 50); do unclustered_all && break; sleep 0.2; done
  run_once "$1"
}

# ---- --dry-run: the recorder validates, the stub plugins say they take no part -----------------------
write_preseed "$TEST_TMP/dry.yaml"
out=$(mc 1 preseed --dry-run <"$TEST_TMP/dry.yaml") || fail "--dry-run: $out"
expect_contains "$out" "plugin recorder: ready" "--dry-run has the recorder validate the plan"
log_of 1 | jq -s -e 'map(.hook) | index("validate") != null and index("join") == null' >/dev/null ||
  fail "--dry-run did more than validate: $(log_of 1)"
rm -f "$(state 1)/recorder.log"

# ---- a component join fails on m3: rollback ---------------------------------------------------------
write_preseed "$TEST_TMP/fail.yaml" fail_join_on m3
run_all "$TEST_TMP/fail.yaml"
[ "$(cat "$TEST_TMP/rc-m1")" != 0 ] || fail "the initiator succeeded although recorder failed on m3"
out=$(cat "$TEST_TMP/out-m1")
echo "initiator: $out"
expect_contains "$out" "Plugin recorder failed on member m3 at step \"join\"" "the failure names plugin, member and step"
for m in 1 2; do
  log_of "$m" | jq -s -e 'map(.hook) | index("join") < index("teardown")' >/dev/null ||
    fail "m$m: recorder was not torn down after its join: $(log_of "$m")"
done
log_of 3 | jq -s -e 'map(.hook) | (index("join-failed") != null) and (index("teardown") == null)' >/dev/null ||
  fail "m3's log: $(log_of 3)"
for _ in $(seq 50); do unclustered_all && break; sleep 0.2; done
for m in 1 2 3; do
  out=$(mc "$m" cluster list 2>&1) && fail "m$m is still clustered after the rollback: $out"
  expect_contains "$out" "not part of a cluster" "m$m forgot the cluster"
done
pass "a failed component join rolled back the components and the membership on every machine"

# ---- a component join crashes on m3 (SIGSEGV in the plugin): m3's daemon lives, the run rolls back --
for m in 1 2 3; do rm -f "$(state "$m")/recorder.log"; done
daemon_pid() { lab status --format json | jq -r ".members[$(($1 - 1))].microcloudd_pid"; }
daemon_m3=$(daemon_pid 3)
write_preseed "$TEST_TMP/crash.yaml" crash_join_on m3
run_all "$TEST_TMP/crash.yaml"
[ "$(cat "$TEST_TMP/rc-m1")" != 0 ] || fail "the initiator succeeded although recorder crashed on m3"
out=$(cat "$TEST_TMP/out-m1")
echo "initiator: $out"
grep -q "Plugin recorder failed on member m3" <<<"$out" || { echo "m2: $(cat "$TEST_TMP/out-m2")"; echo "m3: $(cat "$TEST_TMP/out-m3")"; }
expect_contains "$out" "Plugin recorder failed on member m3 at step \"join\"" "the crash names plugin, member and step"
expect_contains "$out" "SIGSEGV" "the crash names its signal"
[ "$(daemon_pid 3)" = "$daemon_m3" ] || fail "m3's microcloudd did not survive its plugin's crash"
for m in 1 2; do
  log_of "$m" | jq -s -e 'map(.hook) | index("join") < index("teardown")' >/dev/null ||
    fail "m$m: recorder was not torn down after its join: $(log_of "$m")"
done
for _ in $(seq 50); do unclustered_all && break; sleep 0.2; done
for m in 1 2 3; do
  out=$(mc "$m" cluster list 2>&1) && fail "m$m is still clustered after the rollback: $out"
  expect_contains "$out" "not part of a cluster" "m$m forgot the cluster"
done
mc 3 plugin list --format json | jq -e '.[] | select(.name == "recorder") | .last_crash.code == "plugin_crashed"' >/dev/null ||
  fail "plugin list on m3 does not show the crash: $(mc 3 plugin list --format json)"
pass "a component join that crashed rolled back every machine; m3's daemon kept running and shows the crash"

# ---- Ctrl-C on the initiator's CLI while it waits for the others: the run stops and rolls back -------
cli_of() {  # cli_of M: pid of the `microcloud` CLI running in member M's network namespace
  local daemon p
  daemon=$(daemon_pid "$1")
  for p in $(pgrep -x microcloud); do
    [ "$(readlink "/proc/$p/ns/net")" = "$(readlink "/proc/$daemon/ns/net")" ] && { echo "$p"; return 0; }
  done
  return 1
}
# interrupt M TEXT FILE: runs FILE's preseed on member M, sends its CLI Ctrl-C once it printed TEXT;
# sets $out (what the CLI printed) and $t0 (when Ctrl-C was sent); fails if the run exited 0.
interrupt() {
  local m=$1 text=$2 file=$3 waiter
  (set +e; mc "$m" preseed <"$file" >"$TEST_TMP/cancel-m$m" 2>&1; echo $? >"$TEST_TMP/cancel-rc-m$m") &
  waiter=$!
  for _ in $(seq 100); do grep -q "$text" "$TEST_TMP/cancel-m$m" 2>/dev/null && break; sleep 0.1; done
  grep -q "$text" "$TEST_TMP/cancel-m$m" || fail "m$m never printed \"$text\": $(cat "$TEST_TMP/cancel-m$m")"
  t0=$(now_ms)
  kill -INT "$(cli_of "$m")" || fail "no microcloud CLI runs in m$m"
  wait "$waiter" || true
  out=$(cat "$TEST_TMP/cancel-m$m")
  echo "$out"
  [ "$(cat "$TEST_TMP/cancel-rc-m$m")" != 0 ] || fail "the cancelled run on m$m exited 0"
  expect_contains "$out" "Cancelling" "the CLI on m$m says it cancels"
  expect_contains "$out" "cancelled from the command line" "the run on m$m ends as cancelled"
}
write_preseed "$TEST_TMP/alone.yaml"  # m2 and m3 are not started: m1 waits for them
interrupt 1 "Waiting for 2 system" "$TEST_TMP/alone.yaml"
out=$(mc 1 cluster list 2>&1) && fail "m1 is still clustered after the cancelled run: $out"
pass "Ctrl-C ended the run in $(($(now_ms) - t0)) ms and m1 forgot the cluster it had bootstrapped"

# ---- Ctrl-C on a joiner's CLI while it looks for an initiator that is not there ------------------------
interrupt 3 "Looking for the initiator" "$TEST_TMP/alone.yaml"
out=$(mc 3 cluster list 2>&1) && fail "m3 is clustered after its cancelled join: $out"
pass "Ctrl-C on the joiner ended its lookup in $(($(now_ms) - t0)) ms; m3 is not clustered"

# ---- a joiner killed during its join: rollback, and it can take part again -----------------------------
for m in 1 2 3; do rm -f "$(state "$m")/recorder.log"; done
write_preseed "$TEST_TMP/hang.yaml" hang_join_on m3
pids=()
for m in 1 2 3; do (set +e; mc "$m" preseed <"$TEST_TMP/hang.yaml" >"$TEST_TMP/hang-m$m" 2>&1; echo $? >"$TEST_TMP/hang-rc-m$m") & pids+=($!); done
for _ in $(seq 150); do log_of 3 | grep -q join-started && break; sleep 0.2; done
log_of 3 | grep -q join-started || fail "m3 never started its recorder join: $(cat "$TEST_TMP"/hang-m*)"
lab stop m3 --kill >/dev/null
for p in "${pids[@]}"; do wait "$p" || true; done
[ "$(cat "$TEST_TMP/hang-rc-m1")" != 0 ] || fail "the initiator succeeded although m3 was killed while joining"
expect_contains "$(cat "$TEST_TMP/hang-m1")" "failed on member m3 at step \"join\"" "the killed joiner is named"
log_of 1 | jq -s -e 'map(.hook) | index("teardown") != null' >/dev/null || fail "m1's recorder was not torn down: $(log_of 1)"
for _ in $(seq 50); do mc 2 cluster list >/dev/null 2>&1 || break; sleep 0.2; done
for m in 1 2; do
  out=$(mc "$m" cluster list 2>&1) && fail "m$m is still clustered: $out"
  expect_contains "$out" "not part of a cluster" "m$m forgot the cluster"
done
lab start m3 >/dev/null
pass "a joiner killed during its join: the run failed naming it and rolled back m1 and m2"

# ---- the cloud without the recorder, then `service add recorder` forms it on every member ----------------
for m in 1 2 3; do rm -f "$(state "$m")/recorder.log"; done
write_preseed "$TEST_TMP/ok.yaml" skip true
run_all "$TEST_TMP/ok.yaml"
expect_contains "$(cat "$TEST_TMP/out-m3")" "left behind" "m3, killed in the earlier run, forgot the old cluster by itself"
for m in 1 2 3; do [ "$(cat "$TEST_TMP/rc-m$m")" = 0 ] || fail "preseed on m$m: $(cat "$TEST_TMP/out-m$m")"; done
expect_contains "$(cat "$TEST_TMP/out-m1")" "Plugin recorder takes no part: recorder was told to take no part" "the cloud formed without the recorder"
log_of 1 | jq -s -e '[.[] | select(.hook == "join")] | length == 0' >/dev/null || fail "recorder joined in the formation: $(log_of 1)"
out=$(mc 1 service add recorder 2>&1) || fail "service add recorder: $out"
echo "$out"
expect_contains "$out" "Bootstrapping recorder on m1" "service add bootstraps the recorder on the member it runs on"
expect_contains "$out" "MicroCloud is ready" "service add ends as upstream's does"
out=$(mc 1 service add nosuch 2>&1) && fail "service add of an unknown plugin succeeded: $out"
expect_contains "$out" 'Service "nosuch" is not a plugin loaded on m1 (loaded: ' "service add names a service that is not loaded"
out=$(mc 1 service add microcloud 2>&1) && fail "service add microcloud succeeded: $out"
expect_contains "$out" 'Service "microcloud" is already set up' "service add refuses what is set up"
log_of 1 | jq -s -e '[.[] | select(.hook == "join")] == [{"bootstrap": true, "hook": "join", "member": "m1"}]' >/dev/null ||
  fail "m1 did not bootstrap the recorder once: $(log_of 1)"
log_of 1 | jq -s -e '[.[] | select(.hook == "configure")] | length == 1' >/dev/null || fail "configure did not run once on m1"
for m in 2 3; do
  log_of "$m" | jq -s -e "[.[] | select(.hook == \"join\")] | length == 1 and .[0].token == \"recorder-token-m$m\" and (.[0].bootstrap | not)" >/dev/null ||
    fail "m$m did not join with the token m1 issued: $(log_of "$m")"
done
wait_online 1 3 || fail "3 ONLINE members"
pass "service add: recorder bootstrapped on m1, m2 and m3 joined with m1's tokens, configured once"
