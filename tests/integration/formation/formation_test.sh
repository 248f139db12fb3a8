#!/usr/bin/env bash
# tests/integration/formation/formation_test.sh - `microcloud preseed` in a lab of 4 members: bad
# files refused by --dry-run with upstream's messages and nothing changed; a wrong passphrase and a
# missing initiator explained; a run whose listed system never comes rolled back (every machine
# can run preseed again); then the same file on m1..m3 forms a cluster with 3 ONLINE members seen
# from every member; a second file adds m4 through the cluster's initiator.
# Usage: formation_test.sh BUILD_DIR    Exit 0: passed; 77: skipped (not root or tools missing).
source "$(dirname "$0")/../../lib/testlib.sh"
source "$(dirname "$0")/../../lib/labtest.sh"
build=${1:?usage: formation_test.sh BUILD_DIR}
lab_test_setup frm "$build"

lab up --members 4 --disks 0 --build-dir "$build" --disable-plugin fan >/dev/null || fail "lab up --members 4"
lab_status
subnet=$(lab_subnet)

# preseed FILE SYSTEMS... : a preseed naming m1 as initiator and the given systems.
write_preseed() {
  local file=$1 passphrase=$2; shift 2
  { echo "initiator: m1"; echo "lookup_subnet: $subnet"; echo "lookup_timeout: 20s"
    echo "session_passphrase: $passphrase"; echo "session_timeout: ${SESSION_TIMEOUT:-60s}"; echo "systems:"
    for s in "$@"; do echo "- name: $s"; done; } >"$file"
}
not_clustered() {  # not_clustered M: member M lists no cluster
  local out
  out=$(mc "$1" cluster list 2>&1) && fail "m$1 is still clustered: $out"
  case "$out" in *"not part of a cluster"*) ;; *) fail "m$1: unexpected answer: $out" ;; esac
}

# ---- --dry-run refuses bad files with upstream's messages and changes nothing -----------------------
# A passphrase as upstream's reference preseed writes one: any text, not four words.
passphrase=83P27XWKbDczUyE7xaX3pgVfaEacfQ2qiQ0r6gPb
write_preseed "$TEST_TMP/good.yaml" "$passphrase" m1 m2 m3
check_dry() {  # check_dry WHAT EXPECTED-TEXT < FILE
  local out
  out=$(mc 1 preseed --dry-run 2>&1) && fail "--dry-run accepted a file with $1"
  expect_contains "$out" "$2" "--dry-run refuses $1: $2"
}
sed 's/^- name: m3$/- name: m2/' "$TEST_TMP/good.yaml" | check_dry "a duplicate system" 'Duplicate system name "m2"'
grep -v session_passphrase "$TEST_TMP/good.yaml" | check_dry "no passphrase" "Missing session passphrase"
grep -v lookup_subnet "$TEST_TMP/good.yaml" | check_dry "no lookup subnet" "Missing lookup subnet"
sed 's/^initiator: m1$/initiator: m1\ninitiator_address: 10.0.0.1/' "$TEST_TMP/good.yaml" |
  check_dry "two initiators" "Cannot provide both the initiator's name and address"
printf 'initiator: m1\nlookup_subnet: %s\nsession_passphrase: a b c d\nsystems: []\n' "$subnet" |
  check_dry "no systems" "No systems given"
{ cat "$TEST_TMP/good.yaml"; echo "colour: blue"; } | check_dry "an unknown key" 'unknown key "colour"'
out=$(printf 'initiator: m1\nlookup_subnet: %s\nsystems:\n- name: m1\n' "$subnet" | mc 1 preseed --dry-run 2>&1) ||
  fail "--dry-run refused a one-system file without a passphrase: $out"
out=$(mc 1 preseed --dry-run <"$TEST_TMP/good.yaml") || fail "--dry-run of a good file: $out"
expect_contains "$out" "initiator (bootstrap)" "--dry-run prints the plan"
out=$(mc 2 preseed --dry-run --format json <"$TEST_TMP/good.yaml") || fail "--dry-run on m2"
jq -e '.plan.role == "joiner" and .plan.lookup.interface == "eth0"' >/dev/null <<<"$out" || fail "m2's plan: $out"
for m in 1 2 3 4; do not_clustered "$m"; done
pass "--dry-run changed nothing on any member"

# ---- a missing initiator: the joiner says where it listened ---------------------------------------
sed 's/lookup_timeout: 20s/lookup_timeout: 3s/' "$TEST_TMP/good.yaml" >"$TEST_TMP/short.yaml"
out=$(mc 2 preseed <"$TEST_TMP/short.yaml" 2>&1) && fail "m2 joined without an initiator"
echo "m2 without an initiator: $out"
expect_contains "$out" "eth0" "the joiner names the interface it listened on"
expect_contains "$out" "$subnet" "the joiner names the subnet"
not_clustered 2

# ---- an initiator of another discovery version: the joiner reports the mismatch as upstream does ------
if [ -x "$build/bin/discovery_tool" ]; then
  ns=$(lab status --format json | jq -r '.members[0].namespace')
  ip netns exec "$ns" "$build/bin/discovery_tool" respond --interface eth0 --name m1 --fingerprint "$(printf 'f%.0s' $(seq 64))" \
    --version 1.0 --seconds 20 >"$TEST_TMP/old-responder.out" 2>&1 &
  old_responder=$!
  for _ in $(seq 50); do grep -q '^ready$' "$TEST_TMP/old-responder.out" && break; sleep 0.1; done
  out=$(mc 2 preseed <"$TEST_TMP/short.yaml" 2>&1) && fail "m2 joined an initiator of another version"
  kill "$old_responder" 2>/dev/null || true
  wait "$old_responder" 2>/dev/null || true
  expect_contains "$out" 'System "m1" (version "1.0") has a version mismatch: Expected "2.0"' "a version mismatch is reported as upstream does"
  not_clustered 2
fi

# ---- wrong passphrase, and a system that never comes: rollback -------------------------------------
write_preseed "$TEST_TMP/wrong.yaml" "cow pig cat dog" m1 m2 m3
SESSION_TIMEOUT=8s write_preseed "$TEST_TMP/short-session.yaml" "$passphrase" m1 m2 m3
mc 1 preseed <"$TEST_TMP/short-session.yaml" >"$TEST_TMP/m1.out" 2>&1 &
initiator=$!
sleep 1
out=$(mc 3 preseed <"$TEST_TMP/wrong.yaml" 2>&1) && fail "m3 joined with a wrong passphrase"
expect_contains "$out" "Wrong passphrase" "a wrong passphrase is refused as such"
mc 2 preseed <"$TEST_TMP/good.yaml" >/dev/null 2>&1 || fail "m2 could not join the session"
wait "$initiator" && fail "the initiator succeeded although m3 never joined: $(cat "$TEST_TMP/m1.out")"
echo "initiator without m3: $(tail -n 1 "$TEST_TMP/m1.out")"
expect_contains "$(cat "$TEST_TMP/m1.out")" "did not join within the session timeout: m3" "the initiator names the system that did not join"
expect_contains "$(cat "$TEST_TMP/m1.out")" "member m1" "the failure names the member"
for _ in $(seq 50); do mc 2 cluster list >/dev/null 2>&1 || break; sleep 0.2; done
for m in 1 2 3; do not_clustered "$m"; done
pass "a failed run rolled back: m1, m2 and m3 are outside any cluster again"

# ---- the real thing: the same file on m1..m3 -----------------------------------------------------------
start=$(now_ms)
for m in 1 2 3; do (set +e; mc "$m" preseed <"$TEST_TMP/good.yaml" >"$TEST_TMP/ok-m$m.out" 2>&1; echo $? >"$TEST_TMP/ok-m$m.rc") & done
wait
for m in 1 2 3; do [ "$(cat "$TEST_TMP/ok-m$m.rc")" = 0 ] || fail "preseed on m$m: $(cat "$TEST_TMP/ok-m$m.out")"; done
echo "formed 3 members by preseed in $(($(now_ms) - start)) ms"
cat "$TEST_TMP/ok-m1.out"
for m in 1 2 3; do wait_online "$m" 3 || fail "m$m does not list 3 ONLINE members"; done
pass "preseed across 3 members: every member lists 3 ONLINE members"

# ---- upstream's other commands: cluster list -f compact, tokens list/revoke, sql, service list ----------
out=$(mc 1 cluster list -f compact) || fail "cluster list -f compact"
echo "$out"
grep -q '^ *NAME  *ADDRESS  *ROLE  *FINGERPRINT  *STATUS' <<<"$out" && ! grep -q '[+|]' <<<"$out" ||
  fail "compact is not a table without borders: $out"
[ "$(grep -c ONLINE <<<"$out")" = 3 ] || fail "compact does not list 3 ONLINE members: $out"
out=$(mc 2 plugin list --all --format json) || fail "plugin list --all: $out"
jq -e '[.[].member] | unique == ["m1", "m2", "m3"]' <<<"$out" >/dev/null || fail "plugin list --all does not cover m1-m3: $out"
jq -e '[.[] | select(.name == "fan" and .state == "disabled")] | length == 3' <<<"$out" >/dev/null ||
  fail "plugin list --all does not show fan disabled (--disable-plugin) on every member: $out"
pass "plugin list --all shows each member's plugins, fan left out on each"
mc 1 cluster add m9 >/dev/null || fail "cluster add m9"
mc 2 tokens list --format json | jq -e 'any(.[]; .name == "m9")' >/dev/null || fail "tokens list on m2 does not show m9's token"
mc 2 tokens list | grep -q ' m9 ' || fail "the tokens table does not show m9"
mc 3 tokens revoke m9 || fail "tokens revoke m9"
mc 1 tokens list --format json | jq -e 'all(.[]; .name != "m9")' >/dev/null || fail "m9's token is still listed after revoke"
out=$(mc 1 tokens revoke m9 2>&1) && fail "a second revoke of m9 succeeded"
expect_contains "$out" 'No join token for "m9"' "revoking a token that is not there names it"
out=$(mc 1 sql "SELECT name, role FROM members ORDER BY name") || fail "sql SELECT"
echo "$out"
for m in m1 m2 m3; do grep -q "| $m " <<<"$out" || fail "sql did not list $m: $out"; done
mc 2 sql .schema | grep -q "CREATE TABLE join_tokens" || fail "sql .schema does not show the join_tokens table"
out=$(mc 1 sql "SELECT * FROM no_such_table" 2>&1) && fail "sql accepted a missing table"
expect_contains "$out" "no such table: no_such_table" "a failing statement gives the database's error"
out=$(mc 1 sql "SELECT 1; SELECT * FROM no_such_table" 2>&1) && fail "sql accepted a missing table"
expect_contains "$out" "Statement 2 failed" "a failing statement after others is named by its number"
out=$(mc 3 service list) || fail "service list"
echo "$out"
grep -q '^microcloud:$' <<<"$out" || fail "service list has no microcloud table: $out"
[ "$(grep -c ONLINE <<<"$out")" -ge 3 ] || fail "service list does not show 3 ONLINE MicroCloud members: $out"
expect_contains "$out" "ceph: Not initialized" "a component formed nowhere is Not initialized"
mc 3 service list --format json | jq -e '.microcloud | length == 3' >/dev/null || fail "service list json"
pass "cluster list -f compact, tokens list/revoke, sql (SELECT, .schema, errors) and service list as upstream has them"

# ---- add m4 through the initiator, in upstream's unicast form (initiator_address, addresses) -----------
addr_of() { lab status --format json | jq -r --arg m "$1" '.members[] | select(.name == $m) | .address'; }
printf 'initiator_address: %s\nsession_passphrase: pig cow dog cat\nlookup_timeout: 20\nsystems:\n- name: m4\n  address: %s\n' \
  "$(addr_of m1)" "$(addr_of m4)" >"$TEST_TMP/add.yaml"
mc 1 preseed --dry-run <"$TEST_TMP/add.yaml" | grep -q "initiator (add)" || fail "m1's plan for adding m4"
mc 1 preseed <"$TEST_TMP/add.yaml" >"$TEST_TMP/add-m1.out" 2>&1 &
initiator=$!
mc 4 preseed <"$TEST_TMP/add.yaml" >/dev/null || fail "m4 could not join"
wait "$initiator" || fail "adding m4 on m1: $(cat "$TEST_TMP/add-m1.out")"
wait_online 4 4 || fail "m4 does not list 4 ONLINE members"
pass "preseed in unicast form (initiator_address, each system's address) added m4 to the running cluster"

# ---- status across the cluster, remove, shutdown -------------------------------------------------------
st=$(mc 2 status --format json) || fail "status on m2"
jq -e '(.members | length == 4) and all(.members[]; .status == "ONLINE" and (.plugins | length) >= 4)' >/dev/null <<<"$st" ||
  fail "status does not show 4 ONLINE members with their plugins: $st"
pass "status on m2 shows every member and every plugin"
# Status asks the plugins with a status hook for a discovery without the probes that hook makes
# (Ceph's health query); --refresh asks every member's plugins for their full discovery.
jq -e 'all(.members[]; .plugins.ceph.discovery.health.reason | test("status hook"))' >/dev/null <<<"$st" ||
  fail "status did not leave Ceph's health query to its status hook: $(jq -c '[.members[].plugins.ceph.discovery.health]' <<<"$st")"
st=$(mc 2 status --refresh --format json) || fail "status --refresh on m2"
jq -e '(.members | length == 4) and all(.members[]; .plugins.ceph.discovery.health.reason | test("no cluster configuration"))' \
  >/dev/null <<<"$st" || fail "status --refresh did not discover afresh: $(jq -c '[.members[].plugins.ceph.discovery.health]' <<<"$st")"
out=$(mc 2 status --refrsh 2>&1) && fail "status accepted --refrsh"
expect_contains "$out" 'Unexpected argument "--refrsh" for status (accepted: --refresh, --format FORMAT)' "status names a wrong flag"
pass "status leaves Ceph's health query to its status hook; --refresh discovers afresh on every member"
mc 1 remove m4 -f >/dev/null || fail "remove m4 -f (upstream's --force)"
for _ in $(seq 50); do mc 4 cluster list >/dev/null 2>&1 || break; sleep 0.2; done
not_clustered 4
mc 1 cluster list --format json | jq -e 'length == 3' >/dev/null || fail "m4 still listed after remove"
pass "remove m4: the cluster has 3 members and m4 forgot it"
mc 3 shutdown || fail "shutdown on m3"
for _ in $(seq 50); do mc 3 waitready --timeout 1 >/dev/null 2>&1 || break; sleep 0.2; done
st=$(mc 1 status --format json)
jq -e '.members[] | select(.name == "m3") | .status == "OFFLINE"' >/dev/null <<<"$st" || fail "m3 not OFFLINE after shutdown: $st"
mc 1 status | grep -q "OFFLINE" || fail "the status table does not show m3 OFFLINE"
lab start m3 >/dev/null
for _ in $(seq 100); do
  mc 1 status --format json | jq -e 'all(.members[]; .status == "ONLINE")' >/dev/null 2>&1 && break
  sleep 0.2
done
mc 1 status --format json | jq -e 'all(.members[]; .status == "ONLINE")' >/dev/null || fail "m3 did not come back"
pass "shutdown stops m3's daemon (OFFLINE in status); started again it is ONLINE"
