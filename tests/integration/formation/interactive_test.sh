#!/usr/bin/env bash
# tests/integration/formation/interactive_test.sh - `microcloud init`, `join` and `add` answered by a
# script through standard input, in a lab of 5 members with a disk each: m1 initiates and shows the
# passphrase; m2 and m3 join by multicast discovery; a joiner with a wrong passphrase is told so;
# the user selects m2 and m3 and answers upstream's storage and network questions (a local disk on
# each, no distributed storage, no OVN uplink here); --print-preseed prints the equivalent preseed.
# Then `add` on m2 takes m4, which joins by --initiator-address (no discovery). Last, `add` on m1
# runs on a terminal (tmux): m5 and its disk are chosen in tables with the keys.
# Usage: interactive_test.sh BUILD_DIR    Exit 0: passed; 77: skipped (not root or tools missing).
source "$(dirname "$0")/../../lib/testlib.sh"
source "$(dirname "$0")/../../lib/labtest.sh"
build=${1:?usage: interactive_test.sh BUILD_DIR}
lab_test_setup itr "$build" mkfifo tmux
wait_for_text() {  # wait_for_text FILE TEXT: up to 20 s
  for _ in $(seq 100); do grep -q "$2" "$1" && return 0; sleep 0.2; done
  fail "\"$2\" did not appear in $1: $(cat "$1")"
}

lab up --members 5 --disks 1 --disk-size 64M --build-dir "$build" --disable-plugin fan >/dev/null || fail "lab up --members 5"
lab_status

# ---- init on m1, answered through a pipe ------------------------------------------------------------
mkfifo "$TEST_TMP/init.in"
(set +e; mc 1 init --print-preseed <"$TEST_TMP/init.in" >"$TEST_TMP/init.out" 2>&1; echo $? >"$TEST_TMP/init.rc") &
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
# The systems, then: local storage yes, every listed disk (one a system), wipe none; distributed
# storage is not asked (no disk left); OVN has no uplink in this lab: continue without it.
printf 'm2 m3\nyes\nall\n\nyes\n' >&7
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
init_out=$(cat "$TEST_TMP/init.out")
for text in "Would you like to set up local storage? (yes/no) [default=yes]: " \
  "Select exactly one disk from each cluster member:" "Select which disks to wipe:" \
  "No disks available for distributed storage. Skipping configuration" "Cannot configure MicroOVN" \
  "Continue anyway? (yes/no) [default=no]: "; do
  expect_contains "$init_out" "$text" "init asked: $text"
done
for m in 1 2 3; do
  disk=$(head -n 1 "$MICROCLOUD_LAB_ROOT/$LAB_TEST_NAME/m$m/disks.list" | cut -d' ' -f1)
  expect_contains "$init_out" "Using $disk on m$m for local storage pool" "m$m's disk $disk is its local pool's"
done
preseed=$(sed -n '/^# The equivalent preseed file:/,$p' "$TEST_TMP/init.out" | tail -n +2)
[ -n "$preseed" ] || fail "--print-preseed printed no preseed"
[ "$(grep -c '^ *- name: m[123]$' <<<"$preseed")" = 3 ] && [ "$(grep -c 'wipe: false' <<<"$preseed")" = 3 ] &&
  grep -q '^initiator: m1$' <<<"$preseed" && grep -q "^session_passphrase: $passphrase\$" <<<"$preseed" ||
  fail "the printed preseed is not the setup: $preseed"
pass "init asked upstream's storage and network questions and printed the equivalent preseed"

# ---- add on m2; m4 joins by address --------------------------------------------------------------------
rm -f "$TEST_TMP/init.in"
mkfifo "$TEST_TMP/add.in"
(set +e; mc 2 add <"$TEST_TMP/add.in" >"$TEST_TMP/add.out" 2>&1; echo $? >"$TEST_TMP/add.rc") &
exec 7>"$TEST_TMP/add.in"
wait_for_text "$TEST_TMP/add.out" "Verify the fingerprint"
passphrase=$(grep -A2 "enter the passphrase" "$TEST_TMP/add.out" | tail -n 1 | sed 's/^ *//')
(set +e; echo "$passphrase" | mc 4 join --initiator-address "$(addr 2)" >"$TEST_TMP/join-m4.out" 2>&1; echo $? >"$TEST_TMP/join-m4.rc") &
wait_for_text "$TEST_TMP/add.out" "Found system m4"
# m4 alone (Enter: all found so far); no local storage, no distributed storage, continue without OVN.
printf '\nno\nno\nyes\n' >&7
exec 7>&-
for _ in $(seq 150); do [ -s "$TEST_TMP/add.rc" ] && [ -s "$TEST_TMP/join-m4.rc" ] && break; sleep 0.2; done
[ "$(cat "$TEST_TMP/add.rc")" = 0 ] || fail "add failed: $(cat "$TEST_TMP/add.out")"
[ "$(cat "$TEST_TMP/join-m4.rc")" = 0 ] || fail "join on m4 failed: $(cat "$TEST_TMP/join-m4.out")"
wait_online 1 4 || fail "m1 does not list 4 ONLINE members"
pass "add on m2 took m4 (joined by --initiator-address): 4 ONLINE members"

# ---- add on a terminal (tmux): m5 and its disk are chosen in tables with the keys ------------------
tmux_session=mcitr$$
tmux_down() { tmux kill-session -t "$tmux_session" 2>/dev/null || true; }
on_exit tmux_down
tmux new-session -d -s "$tmux_session" -x 220 -y 80 \
  "$LAB_TEST_TOOL --name $LAB_TEST_NAME exec m1 -- microcloud add --print-preseed; echo \"add exited \$?\"; sleep 600"
screen() { tmux capture-pane -p -t "$tmux_session" -S -400; }
wait_screen() {  # wait_screen TEXT: up to 20 s
  for _ in $(seq 100); do screen | grep -qF -- "$1" && return 0; sleep 0.2; done
  fail "\"$1\" did not appear on the terminal: $(screen)"
}
keys() { tmux send-keys -t "$tmux_session" "$@"; }
wait_screen "Verify the fingerprint"
passphrase=$(screen | grep -A2 "enter the passphrase" | tail -n 1 | sed 's/^ *//')
(set +e; echo "$passphrase" | mc 5 join --initiator-address "$(addr 1)" >"$TEST_TMP/join-m5.out" 2>&1; echo $? >"$TEST_TMP/join-m5.rc") &
wait_screen "Select the systems to add to the cluster:"
wait_screen "10.171.1.15:9443"
keys Space
wait_screen "[x]"
pass "the systems table on the terminal: m5 found, selected with space"
keys Enter
wait_screen "Would you like to set up local storage? (yes/no) [default=yes]:"
keys yes Enter
wait_screen "Select exactly one disk from each cluster member:"
keys Right  # → selects every row shown: m5's one disk
disk5=$(head -n 1 "$MICROCLOUD_LAB_ROOT/$LAB_TEST_NAME/m5/disks.list" | cut -d' ' -f1)
for _ in $(seq 50); do screen | grep -F "$disk5" | grep -qF "[x]" && break; sleep 0.2; done
screen | grep -F "$disk5" | grep -qF "[x]" || fail "→ did not select m5's disk $disk5: $(screen)"
keys Enter
wait_screen "Select which disks to wipe:"
keys Enter  # none
wait_screen "Continue anyway? (yes/no) [default=no]:"
keys yes Enter
wait_screen "add exited"
out=$(screen)
echo "$out" | sed -n '/Select the systems/,$p' | grep -v '^$' | head -n 80
expect_contains "$out" "add exited 0" "add on the terminal succeeded"
expect_contains "$out" "Using $disk5 on m5 for local storage pool" "m5's disk, chosen with the keys, is its local pool's"
expect_contains "$out" "path: $disk5" "the printed preseed names m5's disk"
for _ in $(seq 100); do [ -s "$TEST_TMP/join-m5.rc" ] && break; sleep 0.2; done
[ "$(cat "$TEST_TMP/join-m5.rc")" = 0 ] || fail "join on m5 failed: $(cat "$TEST_TMP/join-m5.out")"
wait_online 1 5 || fail "m1 does not list 5 ONLINE members"
pass "add on a terminal took m5 and its disk, chosen with the keys: 5 ONLINE members"
