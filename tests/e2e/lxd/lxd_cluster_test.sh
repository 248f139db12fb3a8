#!/usr/bin/env bash
# tests/e2e/lxd/lxd_cluster_test.sh - MicroCloud forms, uses, shrinks and grows a real LXD cluster
# (Debian's LXD in every lab member): --dry-run names LXD problems and changes nothing; an LXD
# that dies after discovery fails the run naming member, plugin and step, and every other LXD is
# as before; the same preseed then forms 3 LXD members with the local pool and the default
# profile; a busybox container built here runs on m2, launched from m1; `remove` refuses m2 (it
# holds the container) and takes m3 out; `add` brings the fresh m4 in.
# Usage: lxd_cluster_test.sh BUILD_DIR    Exit 0: passed; 77: skipped.
source "$(dirname "$0")/../../lib/testlib.sh"
source "$(dirname "$0")/../../lib/labtest.sh"
source "$(dirname "$0")/../../lib/busybox_image.sh"
build=${1:?usage: lxd_cluster_test.sh BUILD_DIR}
lab_test_setup lxd "$build" lxd lxc curl mkfifo
[ -x /bin/busybox ] || { echo "SKIP: /bin/busybox is missing (Debian package busybox-static)" >&2; exit 77; }

# Unprivileged containers run as a mapped uid that must pass through the lab's directories.
chmod 0711 "$TEST_TMP"
lab up --members 4 --disks 1 --components --build-dir "$build" --disable-plugin fan >/dev/null || fail "lab up --members 4 --components"
lab_status
subnet=$(lab_subnet)

# lxd_curl N CURL-ARGS...: curl on mN's LXD socket.
lxd_curl() { local m=$1; shift; lab exec "m$m" -- sh -c 'curl -s --unix-socket "$LXD_DIR/unix.socket" "$@"' curl "$@"; }
# lxdq N PATH [CURL ARGS...]: LXD's REST answer (metadata) in member mN.
lxdq() {
  local m=$1 path=$2
  shift 2
  lxd_curl "$m" "$@" "lxd$path" | jq -c .metadata
}
# lxd_snapshot N: what a run must not change on a member's LXD it did not form.
lxd_snapshot() {
  jq -c -n --argjson server "$(lxdq "$1" /1.0)" --argjson pools "$(lxdq "$1" /1.0/storage-pools)" \
    --argjson profile "$(lxdq "$1" /1.0/profiles/default)" \
    '{clustered: $server.environment.server_clustered, config: $server.config, pools: $pools, devices: $profile.devices}'
}
lxc_in() { local m=$1; shift; lab exec "m$m" -- lxc "$@"; }
# wait_standalone N: true once mN's LXD says it is not clustered (up to 20 s; it restarts itself).
wait_standalone() {
  for _ in $(seq 100); do [ "$(lxdq "$1" /1.0 | jq .environment.server_clustered)" = false ] && return 0; sleep 0.2; done
  return 1
}
# wait_for_text FILE TEXT: up to 20 s.
wait_for_text() {
  for _ in $(seq 100); do grep -q "$2" "$1" && return 0; sleep 0.2; done
  fail "\"$2\" did not appear in $1: $(cat "$1")"
}
# online_lxd_members: the names of the members m1's LXD lists as Online, sorted, space-separated.
online_lxd_members() { lxc_in 1 cluster list -f json | jq -r '[.[] | select(.status == "Online") | .server_name] | sort | join(" ")'; }
write_preseed() {  # write_preseed FILE MEMBER... ; extra YAML for systems comes from $SYSTEM_EXTRA_<name>
  local file=$1 m extra
  shift
  { echo "initiator: m1"; echo "lookup_subnet: $subnet"; echo "session_passphrase: lxd test pass phrase"
    echo "session_timeout: 60s"; echo "systems:"
    for m in "$@"; do
      echo "- name: $m"
      extra=SYSTEM_EXTRA_$m
      [ -z "${!extra:-}" ] || echo "${!extra}"
    done; } >"$file"
}

# ---- --dry-run names LXD's problems on this member and changes nothing ------------------------------
before=$(lxd_snapshot 1)
dry() {  # dry EXPECTED-TEXT WHAT: a dry run of $TEST_TMP/dry.yaml on m1 that must fail with the text
  local out
  out=$(mc 1 preseed --dry-run <"$TEST_TMP/dry.yaml" 2>&1) && fail "--dry-run passed although $2 (m1: $(lxd_snapshot 1)): $out"
  expect_contains "$out" "$1" "--dry-run reports $2"
  [ "$(lxd_snapshot 1)" = "$before" ] || fail "--dry-run changed m1's LXD: $before -> $(lxd_snapshot 1)"
}
disk_extra() { printf '  storage:\n    local:\n      path: %s' "$1"; }
SYSTEM_EXTRA_m1=$(disk_extra /dev/no-such-disk)
SYSTEM_EXTRA_m2=$(disk_extra /dev/m2-disk)
SYSTEM_EXTRA_m3=$(disk_extra /dev/m3-disk)
write_preseed "$TEST_TMP/dry.yaml" m1 m2 m3
dry 'Disk "/dev/no-such-disk" was not found on m1' "a missing local disk"
SYSTEM_EXTRA_m1='  ovn_uplink_interface: eth0'
SYSTEM_EXTRA_m2='  ovn_uplink_interface: uplink0'
SYSTEM_EXTRA_m3='  ovn_uplink_interface: uplink0'
write_preseed "$TEST_TMP/dry.yaml" m1 m2 m3
printf 'ovn:\n  ipv4_gateway: 10.172.9.1/24\n  ipv4_range: 10.172.9.100-10.172.9.150\n' >>"$TEST_TMP/dry.yaml"
dry 'Interface "eth0" on m1 is a veth pair end' "an ineligible uplink"
unset SYSTEM_EXTRA_m1 SYSTEM_EXTRA_m2 SYSTEM_EXTRA_m3
# An LXD clustered by hand (outside MicroCloud) on m1.
lxdq 1 /1.0 -X PATCH -d "$(jq -cn --arg a "$(addr 1):8443" '{config: {"cluster.https_address": $a}}')" >/dev/null
op=$(lxd_curl 1 -X PUT -d '{"server_name":"handmade","enabled":true}' lxd/1.0/cluster | jq -r .operation)
lxdq 1 "$op/wait?timeout=60" >/dev/null
before=$(lxd_snapshot 1)
write_preseed "$TEST_TMP/dry.yaml" m1 m2 m3
dry 'LXD on m1 is already clustered (as "handmade")' "an already clustered LXD"
lxdq 1 /1.0/cluster -X PUT -d '{"enabled":false}' >/dev/null
wait_standalone 1 || fail "m1's LXD did not leave the hand-made cluster"
[ "$(lxdq 1 /1.0 -X PATCH -d '{"config":{"cluster.https_address":""}}')" = "{}" ] || fail "could not reset m1's LXD address"
pass "--dry-run named a missing disk, an ineligible uplink and a clustered LXD, and changed nothing"

# ---- LXD dies on m3 after discovery: the run fails and every other LXD is as before -----------------------
declare -A snap
for m in 1 2; do snap[$m]=$(lxd_snapshot "$m"); done
write_preseed "$TEST_TMP/form.yaml" m1 m2 m3
# The initiator's progress is read as it comes: once LXD validated the plan, m3's LXD is killed.
preseed_with_fault "$TEST_TMP/form.yaml" "Plugin lxd validated the plan" "lab stop m3 --lxd --kill" 1 2 3
out=$(cat "$TEST_TMP/fault-out")
echo "$out"
[ "$(cat "$TEST_TMP/fault-rc")" != 0 ] || fail "the run succeeded although m3's LXD was killed"
expect_contains "$out" "LXD of m3" "m3's LXD was killed during the run"
expect_contains "$out" 'Plugin lxd failed on member m3 at step "join"' "the failure names member, plugin and step"
for m in 1 2; do
  [ "$(lxd_snapshot "$m")" = "${snap[$m]}" ] || fail "m$m's LXD changed: ${snap[$m]} -> $(lxd_snapshot "$m")"
done
for _ in $(seq 50); do mc 2 cluster list >/dev/null 2>&1 || break; sleep 0.2; done
for m in 1 2; do out=$(mc "$m" cluster list 2>&1) && fail "m$m is still a MicroCloud member: $out"; done
pass "LXD killed on m3 after discovery: the run failed naming m3, lxd and join; m1 and m2 are as before"

# ---- LXD dies on m1 as the LXD bootstrap starts: the run fails naming m1, lxd and bootstrap -----------------
lab start m3 --lxd >/dev/null || fail "could not start m3's LXD again"
for m in 2 3; do snap[$m]=$(lxd_snapshot "$m"); done
preseed_with_fault "$TEST_TMP/form.yaml" "Bootstrapping lxd on m1" "lab stop m1 --lxd --kill" 1 2 3
out=$(cat "$TEST_TMP/fault-out")
echo "$out"
[ "$(cat "$TEST_TMP/fault-rc")" != 0 ] || fail "the run succeeded although m1's LXD was killed"
expect_contains "$out" 'Plugin lxd failed on member m1 at step "bootstrap"' "the failure names member, plugin and step"
for m in 2 3; do
  [ "$(lxd_snapshot "$m")" = "${snap[$m]}" ] || fail "m$m's LXD changed: ${snap[$m]} -> $(lxd_snapshot "$m")"
done
for _ in $(seq 50); do mc 2 cluster list >/dev/null 2>&1 || break; sleep 0.2; done
for m in 1 2 3; do out=$(mc "$m" cluster list 2>&1) && fail "m$m is still a MicroCloud member: $out"; done
lab start m1 --lxd >/dev/null || fail "could not start m1's LXD again"
pass "LXD killed on m1 at its bootstrap: the run failed naming m1, lxd and bootstrap; m2 and m3 are as before"

# ---- the same preseed again, with every LXD back: 3 LXD members, pool and profile ---------------------------
t0=$(now_ms)
preseed_on "$TEST_TMP/form.yaml" 1 2 3
for m in 1 2 3; do [ "$(cat "$TEST_TMP/rc-m$m")" = 0 ] || fail "preseed on m$m failed: $(cat "$TEST_TMP/out-m$m")"; done
echo "formed in $(($(now_ms) - t0)) ms"
cat "$TEST_TMP/out-m1"
lxc_in 1 cluster list
members=$(online_lxd_members)
[ "$members" = "m1 m2 m3" ] || fail "lxc cluster list shows ONLINE: '$members'"
for m in 1 2 3; do
  lxc_in 1 storage show local --target "m$m" >/dev/null 2>&1 || fail "the local pool is missing on m$m"
done
[ "$(lxdq 1 /1.0/storage-pools/local | jq -r .status)" = Created ] || fail "the local pool is not Created: $(lxdq 1 /1.0/storage-pools/local)"
[ "$(lxdq 2 /1.0/profiles/default | jq -c .devices.root)" = '{"path":"/","pool":"local","type":"disk"}' ] ||
  fail "the default profile has no root disk on local: $(lxdq 2 /1.0/profiles/default)"
expect_contains "$(mc 2 status)" "clustered as m2" "microcloud status shows m2's LXD clustered"
pass "preseed on 3 members: lxc cluster list shows m1 m2 m3 ONLINE, the local pool on each, the profile's root disk"

# ---- a busybox container built here, launched on m2 from m1 ------------------------------------------------
image=$(busybox_image "$TEST_TMP") || fail "could not build the busybox image"
lxc_in 1 image import "$image" --alias busybox >/dev/null || fail "lxc image import"
out=$(lxc_in 1 launch busybox c1 --target m2 </dev/null 2>&1) || fail "lxc launch busybox c1 --target m2: $out"
for _ in $(seq 50); do [ "$(lxc_in 1 list -f csv -c nsL)" = "c1,RUNNING,m2" ] && break; sleep 0.2; done
[ "$(lxc_in 1 list -f csv -c nsL)" = "c1,RUNNING,m2" ] || fail "c1 is not RUNNING on m2: $(lxc_in 1 list -f csv -c nsL)"
pass "a locally built busybox container launched from m1 runs on m2"

# ---- remove: m2 holds c1 and is refused with LXD's reason; m3 leaves ------------------------------------------
out=$(mc 1 remove m2 2>&1) && fail "remove m2 succeeded although c1 runs there: $out"
expect_contains "$out" 'Plugin lxd failed on member m1 at step "remove m2"' "remove names plugin and step"
expect_contains "$out" "c1" "LXD's reason names the container"
wait_online 1 3 || fail "m2 left MicroCloud although LXD refused: $(mc 1 cluster list 2>&1)"
out=$(mc 1 remove m3 2>&1) || fail "remove m3: $out"
echo "$out"
members=$(lxc_in 1 cluster list -f json | jq -r '[.[].server_name] | sort | join(" ")')
[ "$members" = "m1 m2" ] || fail "LXD still has members '$members' after remove m3"
wait_standalone 3 || fail "m3's LXD still believes it is clustered"
wait_online 1 2 || fail "MicroCloud does not list 2 members after remove m3: $(mc 1 cluster list 2>&1)"
pass "remove m2 refused (c1 runs there); remove m3 left LXD with m1 and m2, m3's LXD standalone"

# ---- add: the fresh m4 joins LXD's cluster ----------------------------------------------------------------
mkfifo "$TEST_TMP/add.in"
(set +e; mc 1 add <"$TEST_TMP/add.in" >"$TEST_TMP/add.out" 2>&1; echo $? >"$TEST_TMP/add.rc") &
exec 7>"$TEST_TMP/add.in"
wait_for_text "$TEST_TMP/add.out" "Verify the fingerprint"
passphrase=$(grep -A2 "enter the passphrase" "$TEST_TMP/add.out" | tail -n 1 | sed 's/^ *//')
[ "$(wc -w <<<"$passphrase")" = 4 ] || fail "add did not show a passphrase: $(cat "$TEST_TMP/add.out")"
(set +e; echo "$passphrase" | mc 4 join >"$TEST_TMP/join-m4.out" 2>&1; echo $? >"$TEST_TMP/join-m4.rc") &
wait_for_text "$TEST_TMP/add.out" "Found system m4"
printf '\n' >&7  # m4, then upstream's questions: no local or distributed storage, no OVN
wait_for_text "$TEST_TMP/add.out" "Would you like to set up local storage?"
printf 'no\n' >&7
wait_for_text "$TEST_TMP/add.out" "Would you like to set up distributed storage?"
printf 'no\n' >&7
for _ in $(seq 100); do grep -qE "Configure distributed networking\?|Continue anyway\?" "$TEST_TMP/add.out" && break; sleep 0.2; done
if grep -q "Continue anyway?" "$TEST_TMP/add.out"; then printf 'yes\n' >&7; else printf 'no\n' >&7; fi
exec 7>&-
for _ in $(seq 300); do [ -s "$TEST_TMP/add.rc" ] && [ -s "$TEST_TMP/join-m4.rc" ] && break; sleep 0.2; done
[ -s "$TEST_TMP/add.rc" ] && [ -s "$TEST_TMP/join-m4.rc" ] ||
  fail "add or join did not end within 60 s: $(cat "$TEST_TMP/add.out" "$TEST_TMP/join-m4.out")"
cat "$TEST_TMP/add.out"
[ "$(cat "$TEST_TMP/add.rc" 2>/dev/null)" = 0 ] || fail "add failed: $(cat "$TEST_TMP/add.out")"
[ "$(cat "$TEST_TMP/join-m4.rc" 2>/dev/null)" = 0 ] || fail "join on m4 failed: $(cat "$TEST_TMP/join-m4.out")"
lxc_in 1 cluster list
members=$(online_lxd_members)
[ "$members" = "m1 m2 m4" ] || fail "lxc cluster list shows ONLINE '$members' after add m4"
lxc_in 1 storage show local --target m4 >/dev/null 2>&1 || fail "the local pool is missing on m4"
pass "add brought the fresh m4 into LXD's cluster with its local pool"
