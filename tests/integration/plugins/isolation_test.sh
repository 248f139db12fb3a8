#!/usr/bin/env bash
# tests/integration/plugins/isolation_test.sh - the hostile fixture plugin loaded by every member
# of a 3-member cluster: on m1 its discover and status hooks crash (SIGSEGV, abort), throw across
# the C ABI or on a thread, hang past their deadline, storm memory or exit, one way after another.
# Each time `microcloud status` on m1 still answers with the plugin's stable error code, m1's
# microcloudd keeps its pid, m1 stays an ONLINE voter, and the next status finds the plugin well
# again (a fresh worker). Prints the cases as a table and checks `plugin list` shows the last crash.
# Usage: isolation_test.sh BUILD_DIR HOSTILE_PLUGIN_DIR    Exit 0: passed; 77: skipped.
source "$(dirname "$0")/../../lib/testlib.sh"
source "$(dirname "$0")/../../lib/labtest.sh"
build=${1:?usage: isolation_test.sh BUILD_DIR HOSTILE_PLUGIN_DIR}
plugins=${2:?usage: isolation_test.sh BUILD_DIR HOSTILE_PLUGIN_DIR}
lab_test_setup iso "$build"
[ -f "$plugins/hostile/hostile.so" ] || fail "$plugins/hostile/hostile.so is missing: build plugin_fixture_hostile"

lab up --members 3 --disks 0 --build-dir "$build" --disable-plugin fan --disable-plugin lxd --disable-plugin ovn \
  --disable-plugin ceph --microcloudd-arg "--plugin-dir=$plugins" >/dev/null || fail "lab up"
lab_status
state() { jq -r ".members[$(($1 - 1))].state_dir" <<<"$LAB_TEST_STATUS"; }
daemon_pid() { lab status --format json | jq -r ".members[$(($1 - 1))].microcloudd_pid"; }
hostile_of() { jq -c '[.. | objects | select(has("hostile")) | .hostile] | first'; }

mc 1 cluster bootstrap --address "$(addr 1)" >/dev/null || fail "cluster bootstrap on m1"
for m in 2 3; do
  token=$(mc 1 cluster add "m$m") || fail "cluster add m$m"
  mc "$m" cluster join "$token" --address "$(addr "$m")" >/dev/null || fail "m$m joins"
done
voters_online() {
  mc 2 cluster list --format json 2>/dev/null |
    jq -e 'length == 3 and all(.status == "ONLINE") and ([.[] | select(.role == "voter")] | length == 3)' >/dev/null
}
for _ in $(seq 100); do voters_online && break; sleep 0.3; done
voters_online || fail "3 ONLINE voters: $(mc 2 cluster list 2>&1)"
first=$(mc 1 status --format json | hostile_of)
jq -e '.discovery.pid > 0' <<<"$first" >/dev/null || fail "the hostile plugin is not well at the start: $first"
pass "3 voters ONLINE; the hostile plugin answers status on m1"

pid_before=$(daemon_pid 1)
control="$(state 1)/hostile.control"
rows=()
cases=(segv abort throw thread_throw hang alloc exit)
# Sanitizer builds run workers without a memory limit (their shadow memory would count against it).
if grep -q __asan_init "$build/bin/microcloud-plugin-worker"; then cases=(segv abort throw thread_throw hang exit); fi
for what in "${cases[@]}"; do
  printf 'discover=%s\nstatus=%s\n' "$what" "$what" >"$control"
  t0=$(now_ms)
  out=$(mc 1 status --format json) || fail "status on m1 failed while the plugin misbehaved ($what): $out"
  seconds=$(awk -v ms=$(($(now_ms) - t0)) 'BEGIN { printf "%.1f", ms / 1000 }')
  entry=$(hostile_of <<<"$out")
  code=$(jq -r '.error.code // "none"' <<<"$entry")
  health=$(jq -r '.health_error.code // "none"' <<<"$entry")
  rm -f "$control"
  [ "$(daemon_pid 1)" = "$pid_before" ] || fail "m1's microcloudd did not survive '$what'"
  voters_online || fail "m1 is no longer an ONLINE voter after '$what': $(mc 2 cluster list 2>&1)"
  again=$(mc 1 status --format json | hostile_of)
  jq -e '.discovery.calls >= 1 and (.error == null)' <<<"$again" >/dev/null || fail "the plugin did not recover after '$what': $again"
  case $what in
    hang) want=plugin_timeout ;; alloc) want=plugin_out_of_memory ;; *) want=plugin_crashed ;;
  esac
  [ "$code" = "$want" ] || fail "discover '$what' gave '$code', expected $want: $entry"
  [ "$health" = "$want" ] || fail "status '$what' gave '$health', expected $want: $entry"
  rows+=("$what $code $seconds $(daemon_pid 1) voter")
done
echo "misbehaviour   discover+status error   status-seconds   microcloudd-pid   m1-role"
for row in "${rows[@]}"; do printf '%-14s %-23s %-16s %-17s %s\n' $row; done
pass "every misbehaviour: status answered with the stable code, m1's microcloudd kept pid $pid_before and its vote"

crash=$(mc 1 plugin list --format json | jq -c '.[] | select(.name == "hostile") | .last_crash')
jq -e --argjson n "$((2 * ${#cases[@]}))" '.code == "plugin_crashed" and .count >= $n and (.hook == "discover" or .hook == "status")' <<<"$crash" >/dev/null ||
  fail "plugin list does not show the last crash: $crash"
expect_contains "$(mc 1 plugin list)" "plugin_crashed in " "plugin list's table shows the last crash"
pass "plugin list shows the last crash: $crash"
for m in 2 3; do
  jq -e '.discovery.pid > 0' <<<"$(mc "$m" status --format json | hostile_of)" >/dev/null || fail "m$m's plugin was touched"
done
pass "m2 and m3 were untouched"
