#!/usr/bin/env bash
# tests/integration/cluster/cluster_test.sh - MicroCloud's cluster state across real members: a
# lab of 5 namespaces, each with its microcloudd. Forms 3 members with join tokens, checks the
# listener (9443 alone) and the refusal of an untrusted client, kills the dqlite leader and times
# how long until writes and `cluster list` work again on the survivors, restarts every member and
# finds every row, grows to 5 (3 voters, 2 stand-bys), kills the leader again, and removes a voter
# (a stand-by takes its vote).
# Usage: cluster_test.sh BUILD_DIR    Exit 0: passed; 77: skipped (not root or tools missing).
source "$(dirname "$0")/../../lib/testlib.sh"
source "$(dirname "$0")/../../lib/labtest.sh"
build=${1:?usage: cluster_test.sh BUILD_DIR}
lab_test_setup clt "$build" curl openssl ss

lab up --members 5 --disks 0 --build-dir "$build" --disable-plugin fan >/dev/null || fail "lab up --members 5"
lab_status

# wait_list M SECONDS JQ: polls `cluster list` on member M until JQ holds for its JSON.
wait_list() {
  local m=$1 seconds=$2 test=$3 deadline out
  deadline=$(($(date +%s) + seconds))
  while :; do
    out=$(mc "$m" cluster list --format json 2>/dev/null) && jq -e "$test" >/dev/null <<<"$out" && return 0
    (($(date +%s) < deadline)) || { echo "last list on m$m: ${out:-<no answer>}" >&2; return 1; }
    sleep 0.3
  done
}
leader_of() { mc "$1" cluster list --format json | jq -r '.[] | select(.leader) | .name'; }
join() {  # join M VIA: member M joins with a token issued on member VIA
  local token
  token=$(mc "$2" cluster add "m$1") || fail "cluster add m$1 on m$2"
  mc "$1" cluster join "$token" --address "$(addr "$1")" >/dev/null || fail "m$1 joins with a token from m$2"
}

# ---- form 3 members --------------------------------------------------------------------------------
start=$(now_ms)
mc 1 cluster bootstrap --address "$(addr 1)" >/dev/null || fail "cluster bootstrap on m1"
join 2 1
join 3 2
wait_list 1 60 'length == 3 and all(.status == "ONLINE") and ([.[] | select(.role == "voter")] | length == 3)' ||
  fail "3 members did not become 3 ONLINE voters"
pass "3 members formed, 3 voters ONLINE ($(($(now_ms) - start)) ms)"
mc 2 cluster list

# Bad input changes nothing and names the field.
out=$(mc 4 cluster join "not-a-token" --address "$(addr 4)" 2>&1) && fail "a malformed token was accepted"
expect_contains "$out" "Invalid join token" "answer names Invalid join token"
out=$(mc 4 cluster bootstrap --address 10.0.0.300 2>&1) && fail "a bad address was accepted"
expect_contains "$out" '"10.0.0.300"' "answer names 10.0.0.300"
out=$(mc 4 cluster list 2>&1) && fail "m4 lists a cluster it is not in"
expect_contains "$out" "not part of a cluster" "answer names not part of a cluster"
token=$(mc 1 cluster add m5)
out=$(mc 4 cluster join "$token" --address "$(addr 4)" 2>&1) && fail "m4 joined with m5's token"
expect_contains "$out" 'is for member "m5"' "a token for another member is refused"
pass "bad input refused with the field named"

# ---- the listener ------------------------------------------------------------------------------------
listening=$(lab exec m1 -- ss -ltnH | awk '{ print $4 }')
others=$(grep -v -e '^127\.' -e '^\[::1\]' -e "^$(addr 1):9443\$" <<<"$listening" || true)
[ -z "$others" ] || fail "m1 listens on more than its 9443: $others"
grep -qx "$(addr 1):9443" <<<"$listening" || fail "m1 does not listen on $(addr 1):9443: $listening"
echo "ss -ltn in m1: $(tr '\n' ' ' <<<"$listening")"
pass "microcloudd listens on $(addr 1):9443 alone"

# ---- strangers -------------------------------------------------------------------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -days 1 -subj /CN=stranger \
  -keyout "$TEST_TMP/stranger.key" -out "$TEST_TMP/stranger.crt" 2>/dev/null || fail "openssl req"
refusal=$(lab exec m4 -- curl -sk --max-time 5 --cert "$TEST_TMP/stranger.crt" --key "$TEST_TMP/stranger.key" \
  -w ' HTTP %{http_code}' "https://$(addr 1):9443/1.0")
echo "untrusted client asking GET /1.0: $refusal"
expect_contains "$refusal" "HTTP 403" "answer names HTTP 403"
refusal=$(lab exec m4 -- curl -sk --max-time 5 --cert "$TEST_TMP/stranger.crt" --key "$TEST_TMP/stranger.key" \
  -H 'Connection: Upgrade' -H 'Upgrade: dqlite' -w ' HTTP %{http_code}' "https://$(addr 1):9443/1.0/dqlite")
echo "untrusted client asking for the dqlite tunnel: $refusal"
expect_contains "$refusal" "HTTP 403" "answer names HTTP 403"
refusal=$(lab exec m4 -- curl -sk --max-time 5 -H 'Connection: Upgrade' -H 'Upgrade: dqlite' -w ' HTTP %{http_code}' \
  "https://$(addr 1):9443/1.0/dqlite")
echo "client without a certificate asking for the dqlite tunnel: $refusal"
expect_contains "$refusal" "HTTP 403" "answer names HTTP 403"
pass "a client without a trusted certificate is refused"

# ---- kill the leader (3 members) -------------------------------------------------------------------
# kill_leader ON: SIGKILLs the leader's microcloudd; prints how long writes and the list took to
# come back on member ON (a survivor); leaves the killed member's number in $killed.
kill_leader() {
  local on=$1 leader t0 t_write t_list
  leader=$(leader_of "$on") || fail "no leader known"
  killed=${leader#m}
  if [ "$killed" = "$on" ]; then on=$(( on % 3 + 1 )); fi
  survivor=$on
  lab stop "$leader" --kill >/dev/null
  t0=$(now_ms)
  until mc "$survivor" cluster add "w$t0" >/dev/null 2>&1; do
    (($(now_ms) - t0 < 30000)) || fail "writes did not resume on m$survivor within 30 s"
    sleep 0.2
  done
  t_write=$(($(now_ms) - t0))
  wait_list "$survivor" 30 ".[] | select(.name == \"$leader\") | .status == \"OFFLINE\"" ||
    fail "cluster list on m$survivor did not show $leader OFFLINE"
  t_list=$(($(now_ms) - t0))
  echo "killed leader $leader: writes resumed on m$survivor after $t_write ms, cluster list with $leader OFFLINE after $t_list ms"
  ((t_list <= 15000)) || fail "cluster list took $t_list ms (more than 15 s) after the leader was killed"
}
kill_leader 1
pass "leader killed: survivors write and list again"
lab start "m$killed" >/dev/null || fail "restart m$killed"
wait_list "$survivor" 30 "all(.status == \"ONLINE\")" || fail "m$killed did not come back ONLINE"
pass "restarted m$killed is ONLINE again"

# ---- restart every member: rows intact -----------------------------------------------------------
before=$(mc 1 cluster list --format json | jq -c '[.[] | {name, address, fingerprint, node_id}]')
for m in 1 2 3; do lab stop "m$m" >/dev/null; done
for m in 1 2 3; do lab start "m$m" >/dev/null; done
wait_list 2 60 'length == 3 and all(.status == "ONLINE")' || fail "members did not come back after a full restart"
after=$(mc 2 cluster list --format json | jq -c '[.[] | {name, address, fingerprint, node_id}]')
[ "$before" = "$after" ] || fail "rows changed over a restart: $before vs $after"
pass "every member restarted: all rows intact"

# ---- 5 members --------------------------------------------------------------------------------------
join 4 3
join 5 1
wait_list 1 60 'length == 5 and all(.status == "ONLINE") and ([.[] | select(.role == "voter")] | length == 3)
                and ([.[] | select(.role == "stand-by")] | length == 2)' || fail "5 members: not 3 voters + 2 stand-bys"
mc 1 cluster list
pass "5 members: 3 voters, 2 stand-bys"
kill_leader 4
lab start "m$killed" >/dev/null
wait_list 4 30 'all(.status == "ONLINE")' || fail "m$killed did not come back"
pass "leader killed among 5: survivors write and list again"

# ---- remove a voter: roles rebalance --------------------------------------------------------------
voter=$(mc 1 cluster list --format json | jq -r '[.[] | select(.role == "voter" and (.leader | not))][0].name')
on=1; [ "$voter" = m1 ] && on=2
mc "$on" cluster remove "$voter" >/dev/null || fail "cluster remove $voter"
wait_list "$on" 30 "length == 4 and ([.[] | select(.role == \"voter\")] | length == 3) and
                    ([.[] | select(.role == \"stand-by\")] | length == 1) and all(.name != \"$voter\")" ||
  fail "roles did not rebalance after removing $voter"
mc "$on" cluster list
out=$(mc "${voter#m}" cluster list 2>&1) && fail "the removed member still lists the cluster"
expect_contains "$out" "not part of a cluster" "answer names not part of a cluster"
pass "removed voter $voter: a stand-by took its vote; $voter forgot the cluster"

# ---- lost quorum: recover on the survivor -----------------------------------------------------------
list=$(mc "$on" cluster list --format json)
mapfile -t voters < <(jq -r '.[] | select(.role == "voter") | .name' <<<"$list")
keep=${voters[0]#m}
for v in "${voters[@]:1}"; do lab stop "$v" --kill >/dev/null; done
for m in $(jq -r '.[] | select(.role != "voter") | .name' <<<"$list"); do lab stop "$m" >/dev/null; done
out=$(mc "$keep" cluster add nobody 2>&1) && fail "a write succeeded without quorum"
echo "without quorum, m$keep answers: $out"
out=$(mc "$keep" cluster recover --yes 2>&1) && fail "recover ran while microcloudd was running"
expect_contains "$out" "already" "recover refuses while microcloudd runs"
lab stop "m$keep" >/dev/null
mc "$keep" cluster recover --yes >/dev/null || fail "cluster recover on m$keep"
lab start "m$keep" >/dev/null
wait_list "$keep" 30 "([.[] | select(.status == \"ONLINE\") | .name] == [\"m$keep\"])" ||
  fail "m$keep did not lead on its own after recover"
mc "$keep" cluster add after-recovery >/dev/null || fail "no write after recover"
for m in $(mc "$keep" cluster list --format json | jq -r ".[] | select(.name != \"m$keep\") | .name"); do
  out=$(mc "$keep" cluster remove "$m" 2>&1) && fail "removed the unreachable $m without --force"
  expect_contains "$out" "--force" "removing an unreachable member asks for --force"
  out=$(mc "$keep" cluster remove "$m" --force 2>&1) || fail "removing lost member $m after recover: $out"
done
wait_list "$keep" 10 "length == 1 and .[0].role == \"voter\"" || fail "the recovered cluster is not m$keep alone"
mc "$keep" cluster list
pass "quorum lost: m$keep recovered as the only voter, writes again, lost members removed"
