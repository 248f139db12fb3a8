#!/usr/bin/env bash
# tests/integration/hostile/hostile_test.sh - hostile network input against real microcloudd processes in
# a lab of 4 members (m1, m2, m3 form a cluster; m4 is a stranger, later a joiner; m3, once removed,
# attacks). Shows: every trusted route on 9443 answers 403 to strangers (no certificate, self-signed,
# expired) and to a removed member the moment its removal returns, while the open routes reach their
# handlers, and the removed member's open dqlite tunnels are closed by the removal; 1000 wrong-HMAC
# session joins stop the session after exactly 50 and are rate-limited, the CLI that started it ends
# at once saying why, and a new session starts without waiting for anything (and works under a burst
# of multicast garbage); and under 5000 idle connections, idle connections from 10 stranger addresses
# (more than the listener's 128 slots: the members keep theirs), half-done TLS handshakes, slow
# request heads and oversized heads and bodies, m1 keeps serving its members with bounded threads,
# descriptors and memory. Ends with a table of the peaks of m1's microcloudd per case.
# Usage: hostile_test.sh BUILD_DIR    Exit 0: passed; 77: skipped (not root or tools missing).
source "$(dirname "$0")/../../lib/testlib.sh"
source "$(dirname "$0")/../../lib/labtest.sh"
build=${1:?usage: hostile_test.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
lab_test_setup hst "$build" curl openssl python3 mkfifo

# No plugins: the hostile input is for the host's own listener, and the sessions then form no components.
lab up --members 4 --disks 0 --build-dir "$build" --disable-plugin fan --disable-plugin lxd --disable-plugin ovn \
  --disable-plugin ceph >/dev/null || fail "lab up --members 4"
lab_status
subnet=$(lab_subnet)
state_dir() { jq -r ".members[$(($1 - 1))].state_dir" <<<"$LAB_TEST_STATUS"; }
daemon_pid() { lab status --format json | jq -r ".members[$(($1 - 1))].microcloudd_pid"; }
load() { local from=$1; shift; lab exec "m$from" -- python3 "$here/hostile_load.py" "$@" --subnet "$subnet"; }
wait_for_text() {  # wait_for_text FILE TEXT: up to 30 s
  for _ in $(seq 150); do grep -q "$2" "$1" && return 0; sleep 0.2; done
  fail "\"$2\" did not appear in $1: $(cat "$1")"
}
wait_list() {  # wait_list M SECONDS JQ: until JQ holds for `cluster list` on mM
  local deadline=$(($(date +%s) + $2)) out
  until out=$(mc "$1" cluster list --format json 2>/dev/null) && jq -e "$3" >/dev/null <<<"$out"; do
    (($(date +%s) < deadline)) || { echo "last list on m$1: ${out:-<no answer>}" >&2; return 1; }
    sleep 0.3
  done
}

# ---- form m1, m2, m3 -------------------------------------------------------------------------------
mc 1 cluster bootstrap --address "$(addr 1)" >/dev/null || fail "cluster bootstrap on m1"
for m in 2 3; do
  token=$(mc 1 cluster add "m$m") || fail "cluster add m$m"
  mc "$m" cluster join "$token" --address "$(addr "$m")" >/dev/null || fail "m$m joins"
done
wait_list 1 60 'length == 3 and all(.status == "ONLINE")' || fail "m1, m2, m3 did not become ONLINE"
pass "m1, m2, m3 formed a cluster"

# ---- identities ------------------------------------------------------------------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -days 30 -subj /CN=stranger \
  -keyout "$TEST_TMP/self-signed.key" -out "$TEST_TMP/self-signed.crt" 2>/dev/null || fail "openssl req (self-signed)"
# OpenSSL 3.0's req and x509 refuse a negative -days; `ca -selfsign` takes explicit dates.
mkdir -p "$TEST_TMP/ca" && : >"$TEST_TMP/ca/index.txt" && echo 01 >"$TEST_TMP/ca/serial"
printf '[ca]\ndefault_ca = d\n[d]\ndatabase = %s\nnew_certs_dir = %s\nserial = %s\ndefault_md = sha256\npolicy = p\n[p]\ncommonName = supplied\n' \
  "$TEST_TMP/ca/index.txt" "$TEST_TMP/ca" "$TEST_TMP/ca/serial" >"$TEST_TMP/ca.cnf"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -subj /CN=expired \
  -keyout "$TEST_TMP/expired.key" -out "$TEST_TMP/expired.csr" 2>/dev/null || fail "openssl req (expired)"
openssl ca -batch -config "$TEST_TMP/ca.cnf" -selfsign -keyfile "$TEST_TMP/expired.key" -in "$TEST_TMP/expired.csr" \
  -startdate 20200101000000Z -enddate 20200102000000Z -notext -out "$TEST_TMP/expired.crt" 2>/dev/null ||
  fail "openssl ca (expired)"
openssl x509 -checkend 0 -noout -in "$TEST_TMP/expired.crt" >/dev/null && fail "the expired certificate has not expired"
for m in 2 3; do
  cp "$(state_dir "$m")/server.crt" "$TEST_TMP/member-m$m.crt" && cp "$(state_dir "$m")/server.key" "$TEST_TMP/member-m$m.key" ||
    fail "cannot copy m$m's member certificate from $(state_dir "$m")"
done

# ---- per route: strangers get 403 everywhere but the join endpoints -------------------------------------
# The routes of the TLS port (host/membership/membership_routes.cpp; the listener in
# host/transport/peer_server.cpp adds none): METHOD PATH ACCESS, UPGRADE for the dqlite tunnel.
routes=("GET /1.0 trusted" "GET /1.0/status/local trusted" "GET /1.0/system/local trusted"
  "POST /1.0/plugins/hook trusted" "POST /1.0/cluster/remove trusted" "UPGRADE /1.0/dqlite trusted"
  "POST /1.0/cluster/trust/sync trusted" "POST /1.0/cluster/removed trusted" "POST /1.0/cluster/join open"
  "POST /1.0/session/join open")
# statuses FROM TO IDENTITY [ROUTE...]: from member FROM, one curl asking member TO each route (default all) as
# IDENTITY (none, or the stem of a .crt/.key pair in $TEST_TMP); prints "PATH=STATUS" per route.
statuses() {
  local from=$1 to=$2 id=$3 route method path access args=() first=1
  shift 3
  [ $# -gt 0 ] || set -- "${routes[@]}"
  for route in "$@"; do
    read -r method path access <<<"$route"
    ((first)) || args+=(--next)
    first=0
    args+=(-sk --max-time 5 -o /dev/null -w "$path=%{http_code}\n")
    [ "$id" = none ] || args+=(--cert "$TEST_TMP/$id.crt" --key "$TEST_TMP/$id.key")
    case $method in
    UPGRADE) args+=(-H 'Connection: Upgrade' -H 'Upgrade: dqlite') ;;
    POST) args+=(-X POST -H 'Content-Type: application/json' -d '{}') ;;
    esac
    args+=("https://$(addr "$to"):9443$path")
  done
  lab exec "m$from" -- curl "${args[@]}" || true
}
# expect_refused FROM TO IDENTITY: 403 on every trusted route; the open ones reach their handlers
# (400 for the empty join request, 404 for a session join without a session).
expect_refused() {
  local out route method path access want got
  out=$(statuses "$@")
  for route in "${routes[@]}"; do
    read -r method path access <<<"$route"
    want=403
    [ "$access" = trusted ] || { [ "$path" = /1.0/cluster/join ] && want=400 || want=404; }
    got=$(sed -n "s|^$path=||p" <<<"$out")
    [ "$got" = "$want" ] || fail "$3 from m$1 asking m$2 for $method $path: HTTP ${got:-none}, want $want ($out)"
  done
  echo "  $3 from m$1 to m$2: $(tr '\n' ' ' <<<"$out")"
}
for id in none self-signed expired; do expect_refused 4 1 "$id"; done
pass "strangers (no certificate, self-signed, expired) get 403 on every trusted route; the join endpoints answer"
ok=$(statuses 4 1 member-m2 "GET /1.0 trusted" "GET /1.0/status/local trusted")
[ "$ok" = $'/1.0=200\n/1.0/status/local=200' ] || fail "a member's certificate is refused: $ok"
pass "the same requests with a member's certificate (m2's) get 200"

# ---- a removed member's certificate stops working at once ---------------------------------------------
for m in 1 2; do
  got=$(statuses 3 "$m" member-m3 "GET /1.0 trusted")
  [ "$got" = /1.0=200 ] || fail "m3's certificate is not accepted by m$m before its removal: $got"
done
# m3 holds a dqlite tunnel to m1 and one to m2 with its member certificate, as its dqlite node does.
for m in 1 2; do
  : >"$TEST_TMP/tunnel-m$m.out"
  (set +e; load 3 tunnel "$(addr "$m")" --cert "$TEST_TMP/member-m3.crt" --key "$TEST_TMP/member-m3.key" --seconds 60 \
    >"$TEST_TMP/tunnel-m$m.out" 2>&1; echo $? >"$TEST_TMP/tunnel-m$m.rc") &
done
for m in 1 2; do wait_for_text "$TEST_TMP/tunnel-m$m.out" upgraded; done
sleep 2  # idle tunnels stay open: nothing but the removal ends them
for m in 1 2; do [ -s "$TEST_TMP/tunnel-m$m.rc" ] && fail "m3's tunnel to m$m ended before the removal: $(cat "$TEST_TMP/tunnel-m$m.out")"; done
mc 1 cluster remove m3 >/dev/null || fail "cluster remove m3"
removed_ms=$(now_ms)
for m in 2 1; do  # m2 first: it heard of the removal only through m1
  got=$(statuses 3 "$m" member-m3 "GET /1.0 trusted")
  [ "$got" = /1.0=403 ] || fail "right after its removal, m3's certificate still gets $got from m$m"
done
for m in 2 1; do expect_refused 3 "$m" member-m3; done
pass "a removed member's certificate gets 403 from every member on every trusted route the moment the removal returns"
for m in 1 2; do  # each tunnel would be held 60 s if nothing closed it
  for _ in $(seq 150); do [ -s "$TEST_TMP/tunnel-m$m.rc" ] && break; sleep 0.2; done
  [ -s "$TEST_TMP/tunnel-m$m.rc" ] || fail "m3's dqlite tunnel to m$m is still open after its removal"
  tunnel=$(tail -n 1 "$TEST_TMP/tunnel-m$m.out")
  jq -e '.outcome == "closed_by_server"' <<<"$tunnel" >/dev/null || fail "m3's dqlite tunnel to m$m: $tunnel"
  echo "  m3's dqlite tunnel to m$m: closed by m$m $(($(jq .closed_at_ms <<<"$tunnel") - removed_ms)) ms after the removal" \
    "returned (open $(jq .held_s <<<"$tunnel") s)"
done
pass "the removed member's open dqlite tunnels to m1 and m2 were closed by its removal"
wait_list 1 20 'length == 2 and all(.status == "ONLINE")' || fail "m1 and m2 are not ONLINE after removing m3"

# ---- peak threads, fds and RSS of m1's microcloudd ---------------------------------------------------
target_pid=$(daemon_pid 1)
[[ $target_pid =~ ^[0-9]+$ ]] || fail "no pid for m1's microcloudd: $target_pid"
rows=()
# row_of CASE SERVED PEAK-JSON: a row of the table.
row_of() { jq -r --arg c "$1" --arg s "$2" '[$c, .threads, .fds, (.rss_kib / 1024 | . * 10 | round / 10), $s] | @tsv' <<<"$3"; }
# at_rest WHAT: samples m1's microcloudd at rest, the base of the bounds checked under each load.
at_rest() {
  baseline=$(python3 "$here/hostile_load.py" sample "$target_pid" --seconds 1)
  echo "m1's microcloudd (pid $target_pid) at rest, $1: $baseline"
  base_threads=$(jq .threads <<<"$baseline") base_fds=$(jq .fds <<<"$baseline") base_rss=$(jq .rss_kib <<<"$baseline")
  rows+=("$(row_of "at rest, $1" yes "$baseline")")
}
at_rest "members m1, m2"
# served_during SECONDS: while a load runs, every 2 s: m2 lists m1 ONLINE (its probe reached m1 over
# mTLS) and m1 answers m2's certificate on GET /1.0; echoes yes or no.
served_during() {
  local end=$(($(date +%s) + $1)) served=yes list status
  while (($(date +%s) < end)); do
    list=$(lab exec m2 -- timeout 15 microcloud cluster list --format json 2>/dev/null) || list=
    status=$(statuses 2 1 member-m2 "GET /1.0 trusted")
    if [ "$(jq -r '.[] | select(.name == "m1") | .status' <<<"$list" 2>/dev/null)" != ONLINE ] || [ "$status" != /1.0=200 ]; then
      echo "  during the load: m2 lists ${list:-<no answer>}; m2 asking m1: $status" >&2
      served=no
    fi
    sleep 2
  done
  echo "$served"
}
# under CASE SECONDS LOAD-COMMAND...: runs the load (bounded by itself) while sampling m1's
# microcloudd and checking that m1 serves its members; adds a row to the table; the load's summary
# is in $result.
under() {
  local case=$1 seconds=$2 served peak
  shift 2
  python3 "$here/hostile_load.py" sample "$target_pid" --seconds "$((seconds + 3))" >"$TEST_TMP/peak" &
  local sampler=$!
  "$@" >"$TEST_TMP/load" 2>&1 &
  local loader=$!
  sleep 2
  served=$(served_during "$((seconds - 3))")
  wait "$loader" || fail "the $case load failed: $(cat "$TEST_TMP/load")"
  wait "$sampler" || true
  result=$(tail -n 1 "$TEST_TMP/load")
  peak=$(cat "$TEST_TMP/peak")
  kill -0 "$target_pid" 2>/dev/null || fail "m1's microcloudd died under the $case load"
  echo "  $case: $result"
  echo "  $case: peak of m1's microcloudd $peak; members served: $served"
  rows+=("$(row_of "$case" "$served" "$peak")")
  [ "$served" = yes ] || fail "m1 stopped serving its members under the $case load"
  local threads fds
  threads=$(jq .threads <<<"$peak") fds=$(jq .fds <<<"$peak")
  # One thread per connection, at most $stranger_slots for the attackers (16 from one address:
  # PeerServerOptions::max_connections_per_address), up to 16 more for the members' own traffic;
  # each connection holds its socket and a duplicate (SocketThreads).
  ((threads <= base_threads + stranger_slots + 16)) || fail "$case: $threads threads (at rest $base_threads)"
  ((fds <= base_fds + 2 * (stranger_slots + 16))) || fail "$case: $fds descriptors (at rest $base_fds)"
}
stranger_slots=16  # connections the attackers of a case may hold: one address's share

# ---- the join endpoint: 1000 wrong-HMAC attempts from one address -------------------------------------
mkfifo "$TEST_TMP/add1.in"
(set +e; mc 1 add <"$TEST_TMP/add1.in" >"$TEST_TMP/add1.out" 2>&1; echo $? >"$TEST_TMP/add1.rc") &
exec 7>"$TEST_TMP/add1.in"
wait_for_text "$TEST_TMP/add1.out" "Verify the fingerprint"
passphrase=$(grep -A2 "enter the passphrase" "$TEST_TMP/add1.out" | tail -n 1 | sed 's/^ *//')
sleep 5  # the stranger checks above spent m4's bucket on the open routes: let it fill again
mac=$(printf '0%.0s' $(seq 64))
body="{\"payload\":\"{\\\"name\\\":\\\"m4\\\"}\",\"mac\":\"$mac\"}"
mkdir -p "$TEST_TMP/hmac"
start=$(now_ms)
# 1000 sequential requests at most 40 a second: longer than the 20 s the rate limit (10 at once, then
# 2 a second) needs to let 50 through.
lab exec m4 -- curl -sk --max-time 5 --rate 40/s -X POST -H 'Content-Type: application/json' -d "$body" \
  -o "$TEST_TMP/hmac/#1" -w '%{http_code}\n' "https://$(addr 1):9443/1.0/session/join?try=[1-1000]" \
  >"$TEST_TMP/hmac.codes" || true
seconds=$((($(now_ms) - start) / 1000))
answers=$(ls "$TEST_TMP/hmac" | wc -l)
answered() { grep -l "$1" "$TEST_TMP/hmac"/* | wc -l || true; }  # answered TEXT: how many answers hold TEXT
invalid=$(answered '"Invalid HMAC"')
stopping=$(answered '"error":"Stopping session after too many failed attempts"')
limited=$(answered '"rate_limited"')
over=$(answered 'The session is over')
gone=$(answered 'There is no active session')
echo "1000 wrong-HMAC joins from m4 in $seconds s: $answers answers: $invalid 'Invalid HMAC', $stopping 'Stopping session'," \
  "$limited rate-limited (429), $over 'session is over', $gone 'no active session';" \
  "statuses: $(sort "$TEST_TMP/hmac.codes" | uniq -c | tr -s ' \n' ' ')"
[ "$answers" = 1000 ] || fail "only $answers of 1000 attempts were answered"
((invalid + stopping == 50)) || fail "$((invalid + stopping)) wrong proofs were judged, not 50"
[ "$stopping" = 1 ] || fail "the session was not stopped at the 50th wrong proof"
((limited >= 800)) || fail "only $limited of 1000 attempts were rate-limited"
((invalid + stopping + limited + over + gone == 1000)) || fail "unexpected answers among the 1000 attempts"
pass "1000 wrong-HMAC attempts: 50 judged, then the session stopped; $limited rate-limited"
# The first `add` ends by itself (its input still open), saying why its session stopped.
for _ in $(seq 50); do [ -s "$TEST_TMP/add1.rc" ] && break; sleep 0.2; done
[ -s "$TEST_TMP/add1.rc" ] || fail "the first add still runs after its session stopped: $(cat "$TEST_TMP/add1.out")"
[ "$(cat "$TEST_TMP/add1.rc")" != 0 ] || fail "the first add succeeded after its session stopped: $(cat "$TEST_TMP/add1.out")"
expect_contains "$(cat "$TEST_TMP/add1.out")" "Error: The session stopped: Stopping session after too many failed attempts" \
  "the add whose session stopped ends with an error saying why"
# --lookup-timeout 1: asked once (a joiner going straight to an address asks again while there is
# no session, and those requests would meet the rate limit the burst above left). The burst left m4's
# bucket empty, and it refills at 2 requests a second: a second's wait gives this join its request.
sleep 1
out=$(echo "$passphrase" | mc 4 join --initiator-address "$(addr 1)" --lookup-timeout 1 --session-timeout 20 2>&1) &&
  fail "m4 joined a stopped session: $out"
expect_contains "$out" "There is no active session" "the right passphrase no longer joins the stopped session"
exec 7>&-

# ---- a new session; m4 joins by discovery under a burst of multicast garbage -------------------------
rm -f "$TEST_TMP/add1.in"
mkfifo "$TEST_TMP/add2.in"
(set +e; mc 1 add <"$TEST_TMP/add2.in" >"$TEST_TMP/add2.out" 2>&1; echo $? >"$TEST_TMP/add2.rc") &
exec 7>"$TEST_TMP/add2.in"
wait_for_text "$TEST_TMP/add2.out" "Verify the fingerprint"
passphrase=$(grep -A2 "enter the passphrase" "$TEST_TMP/add2.out" | tail -n 1 | sed 's/^ *//')
(set +e; sleep 3; echo "$passphrase" | mc 4 join --lookup-timeout 20 --session-timeout 60 >"$TEST_TMP/join-m4.out" 2>&1; echo $? >"$TEST_TMP/join-m4.rc") &
under "multicast garbage" 10 load 3 garbage-udp "$(addr 3)" --count 300000 --seconds 10
wait_for_text "$TEST_TMP/add2.out" "Found system m4"
printf 'm4\n' >&7
exec 7>&-
for _ in $(seq 150); do [ -s "$TEST_TMP/add2.rc" ] && [ -s "$TEST_TMP/join-m4.rc" ] && break; sleep 0.2; done
[ "$(cat "$TEST_TMP/join-m4.rc" 2>/dev/null)" = 0 ] || fail "m4's join failed: $(cat "$TEST_TMP/join-m4.out")"
[ "$(cat "$TEST_TMP/add2.rc" 2>/dev/null)" = 0 ] || fail "the second add failed: $(cat "$TEST_TMP/add2.out")"
wait_list 1 30 'length == 3 and all(.status == "ONLINE")' || fail "m4 is not an ONLINE member"
pass "a new session admitted m4 (found by discovery during $(jq .datagrams <<<"$result") garbage datagrams)"
# The members' own connections to m1's 9443 at rest: well within the 16 one address may hold.
held=$(lab exec m1 -- ss -tnH state established "( sport = :9443 )" | awk '{ sub(/:[0-9]+$/, "", $4); print $4 }' | sort | uniq -c)
echo "connections to m1:9443 at rest: $(awk '{ printf "%s%s from %s", sep, $1, $2; sep = ", " }' <<<"$held")"
awk '$1 > 8 { bad = 1 } END { exit bad }' <<<"$held" || fail "a member holds more than 8 connections to m1 at rest: $held"
at_rest "members m1, m2, m4"

# ---- resource bounds: m3 (no longer a member) loads m1's TLS port ---------------------------------------
under "5000 idle connections" 11 load 3 idle "$(addr 1)" --count 5000 --seconds 11
(($(jq '.lifetime_max_s // 0 | floor' <<<"$result") <= 7)) || fail "an idle connection was held past the 5 s handshake deadline"
pass "5000 idle connections: each ends at the handshake deadline or at once; m1 served its members"
# Strangers from 10 addresses of m3 (10 more on its cluster interface), 16 idle connections each: more
# than m1's 128 slots (PeerServerOptions::max_connections). Strangers may take all but the 64 kept for
# the members' addresses (reserved_for_members), so m2 and m4 still reach m1.
cif=$(jq -r .cluster_interface <<<"$LAB_TEST_STATUS")
sources=()
for i in $(seq 231 240); do
  lab exec m3 -- ip addr add "${subnet%.0/24}.$i/24" dev "$cif" || fail "cannot add ${subnet%.0/24}.$i to m3's $cif"
  sources+=("${subnet%.0/24}.$i")
done
stranger_slots=64
under "10 stranger addresses x 16" 11 load 3 idle "$(addr 1)" --count 160 --seconds 11 --from "$(IFS=,; echo "${sources[*]}")"
stranger_slots=16
for source in "${sources[@]}"; do lab exec m3 -- ip addr del "$source/24" dev "$cif" || fail "cannot remove $source from m3"; done
(($(jq '.max_open // 0' <<<"$result") >= 128)) || fail "the strangers never had more than 128 connections open or opening: $result"
pass "idle connections from 10 stranger addresses take at most the strangers' share of slots: m1 served its members"
under "half-done TLS handshakes" 11 load 3 half-tls "$(addr 1)" --count 2000 --seconds 11
(($(jq '.lifetime_max_s // 0 | floor' <<<"$result") <= 7)) || fail "a half-done handshake was held past the 5 s deadline"
pass "half-done TLS handshakes end at the handshake deadline: m1 served its members"
under "slow request heads" 14 load 3 slow-head "$(addr 1)" --count 100 --seconds 14
(($(jq '.outcomes.held_to_end // 0' <<<"$result") == 0 && $(jq '.held_max_s // 0 | floor' <<<"$result") <= 12)) ||
  fail "a slow request head was held past the 10 s read deadline"
pass "slow request heads end at the read deadline: m1 served its members"
under "1 MiB heads, 20000 headers" 8 load 3 big-head "$(addr 1)" --count 200
(($(jq '.statuses["431"] // 0' <<<"$result") >= 100)) || fail "oversized heads were not answered 431"
pass "oversized request heads get 431: m1 served its members"
under "64 MiB bodies, chunked 2 MiB" 8 load 3 big-body "$(addr 1)" --count 200
(($(jq '.statuses["413"] // 0' <<<"$result") >= 100)) || fail "oversized bodies were not answered 413"
first_rss=$(jq .rss_kib "$TEST_TMP/peak")
under "the same bodies again" 8 load 3 big-body "$(addr 1)" --count 200
# 200 requests sending 2 MiB each: a leak of 64 KiB a request would add 12 MiB; the peak varies by a few MiB.
(($(jq .rss_kib "$TEST_TMP/peak") <= first_rss + 12 * 1024)) ||
  fail "m1's RSS kept growing: $(jq .rss_kib "$TEST_TMP/peak") KiB at the second round of oversized bodies, $first_rss at the first"
pass "oversized bodies get 413, and a second round takes no more memory than the first: m1 served its members"

# ---- memory comes back ------------------------------------------------------------------------------------
sleep 2
after=$(python3 "$here/hostile_load.py" sample "$target_pid" --seconds 1)
echo "m1's microcloudd after the loads: $after (at rest before: $baseline)"
(($(jq .rss_kib <<<"$after") <= base_rss + 24 * 1024)) || fail "m1's RSS grew by more than 24 MiB over the loads"
(($(jq .threads <<<"$after") <= base_threads + 4)) || fail "m1 kept threads after the loads"
wait_list 2 20 'length == 3 and all(.status == "ONLINE")' || fail "the members are not all ONLINE after the loads"
pass "after the loads: m1's threads and memory back near rest, every member ONLINE"
rows+=("$(row_of "after the loads, at rest" yes "$after")")

printf '\n%-30s %13s %10s %14s %15s\n' case "peak threads" "peak fds" "peak RSS MiB" "members served"
for row in "${rows[@]}"; do
  IFS=$'\t' read -r c t f r s <<<"$row"
  printf '%-30s %13s %10s %14s %15s\n' "$c" "$t" "$f" "$r" "$s"
done
