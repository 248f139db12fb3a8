#!/usr/bin/env bash
# tests/integration/formation/interactive_test.sh - `microcloud init`, `join` and `add` answered by a
# script through standard input, in a lab of 4 members: m1 initiates and shows the passphrase; m2
# and m3 join by multicast discovery; a joiner with a wrong passphrase is told so; the user selects
# m2 and m3; then `add` on m2 takes m4, which joins by --initiator-address (no discovery).
# Usage: interactive_test.sh BUILD_DIR    Exit 0: passed; 77: skipped (not root or tools missing).
source "$(dirname "$0")/../../lib/testlib.sh"
source "$(dirname "$0")/../../lib/labtest.sh"
build=${1:?usage: interactive_test.sh BUILD_DIR}
lab_test_setup itr "$build" mkfifo
wait_for_text() {  # wait_for_text FILE TEXT: up to 20 s
  for _ in $(seq 100); do grep -q "$2" "$1" && return 0; sleep 0.2; done
  fail "\"$2\" did not appear in $1: $(cat "$1")"
}

lab up --members 4 --disks 0 --build-dir "$build" --disable-plugin fan >/dev/null || fail "lab up --members 4"
lab_status

# ---- init on m1, answered through a pipe ------------------------------------------------------------
mkfifo "$TEST_TMP/init.in"
(set +e; mc 1 init <"$TEST_TMP/init.in" >"$TEST_TMP/init.out" 2>&1; echo $? >"$TEST_TMP/init.rc") &
exec 7>"$TEST_TMP/init.in"
printf 'yes\n1\n' >&7
wait_for_text "$TEST_TMP/init.out" "Verify the fingerprint"
passphrase=$(grep -A2 "enter the passphrase" "$TEST_TMP/init.out" | tail -n 1 | sed 's/^ *//')
fingerprint=$(sed -n 's/^Verify the fingerprint \([0-9a-f]*\) is displayed.*/\1/p' "$TEST_TMP/init.out")
[ "$(wc -w <<<"$passphrase")" = 4 ] || fail "init did not show a 4-word passphrase: $(cat "$TEST_TMP/init.out")"
pass "init shows a passphrase ($passphrase) and fingerprint $fingerprint"

out=$(echo "wrong words right here" | mc 4 join 2>&1) && fail "m4 joined with a wrong passphrase"
expect_contains "$out" "Wrong passphrase" "a joiner with a wrong passphrase is told so"
for m in 2 3; do (set +e; echo "$passphrase" | mc "$m" join >"$TEST_TMP/join-m$m.out" 2>&1; echo $? >"$TEST_TMP/join-m$m.rc") & done
wait_for_text "$TEST_TMP/init.out" "Found system m2"
wait_for_text "$TEST_TMP/init.out" "Found system m3"
printf 'm2 m3\n' >&7
exec 7>&-
for _ in $(seq 150); do [ -s "$TEST_TMP/init.rc" ] && [ -s "$TEST_TMP/join-m2.rc" ] && [ -s "$TEST_TMP/join-m3.rc" ] && break; sleep 0.2; done
[ "$(cat "$TEST_TMP/init.rc")" = 0 ] || fail "init failed: $(cat "$TEST_TMP/init.out")"
for m in 2 3; do
  [ "$(cat "$TEST_TMP/join-m$m.rc")" = 0 ] || fail "join on m$m failed: $(cat "$TEST_TMP/join-m$m.out")"
  expect_contains "$(cat "$TEST_TMP/join-m$m.out")" "using fingerprint $fingerprint" "m$m shows the initiator's fingerprint"
done
cat "$TEST_TMP/init.out"
wait_online 3 3 || fail "m3 does not list 3 ONLINE members"
pass "scripted init with m2 and m3 joining: 3 ONLINE members"

# ---- add on m2; m4 joins by address --------------------------------------------------------------------
rm -f "$TEST_TMP/init.in"
mkfifo "$TEST_TMP/add.in"
(set +e; mc 2 add <"$TEST_TMP/add.in" >"$TEST_TMP/add.out" 2>&1; echo $? >"$TEST_TMP/add.rc") &
exec 7>"$TEST_TMP/add.in"
wait_for_text "$TEST_TMP/add.out" "Verify the fingerprint"
passphrase=$(grep -A2 "enter the passphrase" "$TEST_TMP/add.out" | tail -n 1 | sed 's/^ *//')
(set +e; echo "$passphrase" | mc 4 join --initiator-address "$(addr 2)" >"$TEST_TMP/join-m4.out" 2>&1; echo $? >"$TEST_TMP/join-m4.rc") &
wait_for_text "$TEST_TMP/add.out" "Found system m4"
printf '\n' >&7
exec 7>&-
for _ in $(seq 150); do [ -s "$TEST_TMP/add.rc" ] && [ -s "$TEST_TMP/join-m4.rc" ] && break; sleep 0.2; done
[ "$(cat "$TEST_TMP/add.rc")" = 0 ] || fail "add failed: $(cat "$TEST_TMP/add.out")"
[ "$(cat "$TEST_TMP/join-m4.rc")" = 0 ] || fail "join on m4 failed: $(cat "$TEST_TMP/join-m4.out")"
wait_online 1 4 || fail "m1 does not list 4 ONLINE members"
pass "add on m2 took m4 (joined by --initiator-address): 4 ONLINE members"
