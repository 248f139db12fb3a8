#!/usr/bin/env bash
# tests/integration/faults/fault_matrix_test.sh - a 3-member formation by preseed (the recorder
# plugin taking part) with one microcloudd SIGKILLed at each step: discovery, validate, the
# membership join, the recorder's bootstrap, token, join and configure, killing the initiator (m1)
# or a joiner (m3). For every case: the run ends within a bound (no hang) and, where it fails, with
# an error naming member, plugin and step; after the killed daemon restarts no member is left
# half-joined, and the same preseed then forms the cloud (or, where the fault came after the last
# step that needed the victim and the run succeeded, the cloud is whole once it is back). A killed
# initiator undoes its run when it starts again (formation_journal.hpp). Prints the matrix.
# Then every microcloudd SIGKILLed at once and restarted (case "whole").
# Usage: fault_matrix_test.sh BUILD_DIR PLUGIN_DIR [CASE...]   (CASE: STEP/MEMBER, e.g. join/3, or whole)
# Exit 0: passed; 77: skipped.
source "$(dirname "$0")/../../lib/testlib.sh"
source "$(dirname "$0")/../../lib/labtest.sh"
build=${1:?usage: fault_matrix_test.sh BUILD_DIR PLUGIN_DIR [CASE...]}
plugins=${2:?usage: fault_matrix_test.sh BUILD_DIR PLUGIN_DIR [CASE...]}
shift 2
lab_test_setup flt "$build"
[ -f "$plugins/recorder/recorder.so" ] || fail "$plugins/recorder/recorder.so is missing: build microcloud-plugin-recorder"
bound=90  # seconds a run may take once the fault happened

state() { jq -r ".members[$(($1 - 1))].state_dir" <<<"$LAB_TEST_STATUS"; }
log_of() { cat "$(state "$1")/recorder.log" 2>/dev/null || true; }
write_preseed() {
  { echo "initiator: m1"; echo "lookup_subnet: $(lab_subnet)"; echo "session_passphrase: a b c d"
    echo "session_timeout: 15s"; echo "lookup_timeout: 15s"; echo "systems:"; for m in 1 2 3; do echo "- name: m$m"; done; } >"$1"
}
fresh_lab() {  # fresh_lab [N]: a new lab of N (3) members, no cluster
  lab down >/dev/null 2>&1 || true
  lab up --members "${1:-3}" --disks 0 --build-dir "$build" --disable-plugin fan --microcloudd-arg "--plugin-dir=$plugins" \
    >/dev/null || fail "lab up"
  lab_status
}
daemon_pid() { lab status --format json | jq -r ".members[$(($1 - 1))].microcloudd_pid"; }
# kill_clis M...: SIGKILLs the `microcloud` CLIs running in those members' network namespaces.
kill_clis() {
  local m p
  for m in "$@"; do
    for p in $(pgrep -x microcloud); do
      [ "$(readlink "/proc/$p/ns/net")" = "$(readlink "/proc/$(daemon_pid "$m")/ns/net")" ] && kill -KILL "$p"
    done
  done
  return 0
}

# one_case STEP VICTIM: a run with VICTIM's microcloudd SIGKILLed at STEP; prints a table row.
one_case() {
  local step=$1 victim=$2 where=1 t0 m p error rerun waited ran=() deadline hung=""
  fresh_lab
  write_preseed "$TEST_TMP/preseed.yaml"
  case $step in
    join | discover) where=3 ;;  # runs on the joiner too: pause m3's
  esac
  [ "$step" = membership ] || echo "$step" >"$(state "$where")/recorder.pause"
  rm -f "$TEST_TMP"/rc-m* "$TEST_TMP"/out-m*
  for m in 1 2 3; do
    [ "$step" = membership ] && [ "$m" = 3 ] && continue  # m3 arrives later
    (set +e; mc "$m" preseed <"$TEST_TMP/preseed.yaml" >"$TEST_TMP/out-m$m" 2>&1; echo $? >"$TEST_TMP/rc-m$m") &
    ran+=("$m")
  done
  if [ "$step" = membership ]; then
    for _ in $(seq 100); do grep -q "Waiting for" "$TEST_TMP/out-m1" 2>/dev/null && break; sleep 0.1; done
  else
    for _ in $(seq 300); do log_of "$where" | grep -q "\"$step-paused\"" && break; sleep 0.1; done
    log_of "$where" | grep -q "\"$step-paused\"" || fail "$step/$victim: m$where never reached $step: $(cat "$TEST_TMP"/out-m*)"
  fi
  t0=$(now_ms)
  lab stop "m$victim" --kill >/dev/null
  rm -f "$(state "$where")/recorder.pause"
  deadline=$(($(date +%s) + bound))
  for m in "${ran[@]}"; do
    until [ -s "$TEST_TMP/rc-m$m" ]; do
      if (($(date +%s) > deadline)); then hung="m$m"; kill_clis "${ran[@]}"; break 2; fi
      sleep 0.2
    done
  done
  wait || true
  waited=$(awk -v ms=$(($(now_ms) - t0)) 'BEGIN { printf "%.1f", ms / 1000 }')
  lab start "m$victim" >/dev/null || fail "$step/$victim: m$victim does not start again"
  # What the run said: the initiator's CLI, else the first joiner's.
  error=$(for m in 1 2 3; do grep -h "^Error" "$TEST_TMP/out-m$m" 2>/dev/null; done | head -1 || true)
  error=${error:-"(run succeeded)"}
  [ -z "$hung" ] || error="HUNG: $hung had not ended after ${bound} s; $error"
  if [ "$error" = "(run succeeded)" ]; then
    # The fault came after the last step that needed the victim: once it is back, the cloud is whole.
    rerun="formed"
    wait_online 1 3 || rerun="not all ONLINE after m$victim restarted"
    for m in 1 2 3; do
      log_of "$m" | jq -s -e '[.[] | select(.hook == "join")] | length == 1' >/dev/null || rerun="m$m's recorder did not join once"
    done
  else
    # Re-run: the same preseed on every member forms the cloud.
    rm -f "$TEST_TMP"/rc-m* "$TEST_TMP"/out-m*
    preseed_on "$TEST_TMP/preseed.yaml" 1 2 3
    rerun=ok
    for m in 1 2 3; do
      [ "$(cat "$TEST_TMP/rc-m$m")" = 0 ] || rerun="FAILED on m$m: $(grep -h "^Error" "$TEST_TMP/out-m$m" | head -1 || true)"
    done
    [ "$rerun" = ok ] && { wait_online 1 3 || rerun="not all ONLINE"; }
  fi
  printf '%s|%s|%s|%s|%s\n' "$step" "m$victim" "${error:0:150}" "$waited" "$rerun" >>"$TEST_TMP/matrix"
}

# whole_cluster_killed: a formed cloud of 3 with a token issued for m4; every microcloudd SIGKILLed
# at once, then started again: members, roles, the token and the plugin's state survive.
whole_cluster_killed() {
  local token roles before after t0 m seconds
  fresh_lab 4
  write_preseed "$TEST_TMP/preseed.yaml"
  preseed_on "$TEST_TMP/preseed.yaml" 1 2 3
  for m in 1 2 3; do [ "$(cat "$TEST_TMP/rc-m$m")" = 0 ] || fail "formation before the kill: $(cat "$TEST_TMP/out-m$m")"; done
  wait_online 1 3 || fail "3 ONLINE before the kill"
  token=$(mc 1 cluster add m4) || fail "cluster add m4"
  roles='map({name, role}) | sort_by(.name)'
  before=$(mc 1 cluster list --format json | jq -c "$roles")
  for m in 1 2 3; do lab stop "m$m" --kill >/dev/null & done
  wait
  t0=$(now_ms)
  for m in 1 2 3; do lab start "m$m" >/dev/null & done
  wait
  for _ in $(seq 300); do
    after=$(mc 2 cluster list --format json 2>/dev/null | jq -c "$roles") || true
    mc 2 cluster list --format json 2>/dev/null | jq -e 'length == 3 and all(.status == "ONLINE")' >/dev/null &&
      [ "$after" = "$before" ] && break
    sleep 0.2
  done
  seconds=$(awk -v ms=$(($(now_ms) - t0)) 'BEGIN { printf "%.1f", ms / 1000 }')
  [ "$after" = "$before" ] || fail "roles after the restart: $after; before: $before"
  wait_online 2 3 || fail "not all ONLINE after the restart"
  mc 4 cluster join "$token" --address "$(addr 4)" >/dev/null || fail "the token issued before the kill no longer works"
  wait_online 1 4 || fail "m4 did not come ONLINE with the old token"
  for m in 1 2 3; do
    mc "$m" plugin list --format json | jq -e '.[] | select(.name == "recorder") | .state == "loaded"' >/dev/null ||
      fail "m$m's recorder is not loaded after the restart"
    log_of "$m" | jq -s -e '[.[] | select(.hook == "join")] | length == 1' >/dev/null || fail "m$m's recorder state changed"
  done
  pass "every microcloudd SIGKILLed at once: all ONLINE again ${seconds} s after the restart began; roles $after intact; the token issued before joined m4; each recorder still joined once"
}

cases=("$@")
((${#cases[@]})) || cases=(discover/1 discover/3 validate/1 validate/3 membership/1 membership/3 bootstrap/1 bootstrap/3
  issue_token/1 issue_token/3 join/1 join/3 configure/1 configure/3 whole)
: >"$TEST_TMP/matrix"
whole=false
for c in "${cases[@]}"; do
  if [ "$c" = whole ]; then whole=true; continue; fi
  one_case "${c%/*}" "${c#*/}"
  tail -1 "$TEST_TMP/matrix"
done
echo
printf '%-12s %-7s %-9s %-14s %s\n' step killed seconds "re-run" "error seen"
bad=0
while IFS='|' read -r step victim error seconds rerun; do
  printf '%-12s %-7s %-9s %-14s %s\n' "$step" "$victim" "$seconds" "${rerun:0:14}" "$error"
  [ "$rerun" = ok ] || [ "$rerun" = formed ] || bad=$((bad + 1))
  awk -v s="$seconds" -v b="$bound" 'BEGIN { exit !(s > b) }' && bad=$((bad + 1))
done <"$TEST_TMP/matrix"
[ -s "$TEST_TMP/matrix" ] && { ((bad == 0)) || fail "$bad case(s) did not end within ${bound} s or could not form the cloud again (table above)"
pass "every case ended within ${bound} s and the same preseed formed the cloud afterwards"; }
! $whole || whole_cluster_killed
