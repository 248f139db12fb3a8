#!/usr/bin/env bash
# tests/e2e/ceph/ceph_storage_test.sh - MicroCloud forms Ceph across lab members with Debian's
# daemons (the ceph plugin) and LXD's pools on top of it:
#  - m1's monitor killed once Ceph is bootstrapped, as m2 and m3 join: the run fails naming member,
#    ceph and step, no member stays clustered and Ceph's changes are taken back (more such cases,
#    which take longer: tests/e2e/faults/component_faults_test.sh);
#  - LXD's join made to fail on m3: Ceph's changes of that run are taken back (daemons, files,
#    OSD disks zapped);
#  - 3 members, 2 loop disks each: an LXD-only cloud formed by preseed (the first disk named as
#    `local`, wipe: true over an ext4 signature), then `microcloud service add` answered by lines
#    (the second disks for Ceph, public network = the cluster subnet, internal network = the
#    underlay): HEALTH_OK, 3 mons in quorum, 3 OSDs up/in with their addresses on the right
#    networks, pools of size 3, lxd_cephfs active, LXD's `remote` and `local` Created;
#  - 100 objects written with rados on m1 read back on m3; an RBD image through librbd (rbd bench);
#  - m2's OSD stopped: every object still readable;
#  - remove m3: its OSD purged, 2 mons, replication 2, HEALTH_OK; m4 added with a disk: its OSD in,
#    replication 3.
# Usage: ceph_storage_test.sh BUILD_DIR    Exit 0: passed; 77: skipped.
source "$(dirname "$0")/../../lib/testlib.sh"
source "$(dirname "$0")/../../lib/labtest.sh"
build=${1:?usage: ceph_storage_test.sh BUILD_DIR}
lab_test_setup ceph "$build" mkfifo lxd lxc ceph ceph-mon ceph-mgr ceph-osd ceph-mds ceph-authtool monmaptool rados rbd \
  wipefs blkid mkfs.ext4 mkfs.btrfs

lab up --members 4 --components --disks 2 --disk-size 4G --disable-plugin fan --build-dir "$build" >/dev/null ||
  fail "lab up --members 4 --components --disks 2"
lab_status
subnet=$(lab_subnet)
underlay_subnet=$(jq -r .underlay_subnet <<<"$LAB_TEST_STATUS")
disk() { jq -r ".members[$(($1 - 1))].disks[$2]" <<<"$LAB_TEST_STATUS"; }
in_m() { local m=$1; shift; lab exec "m$m" -- "$@"; }
lxc_in() { local m=$1; shift; lab exec "m$m" -- lxc "$@"; }
cephq() { local m=$1; shift; in_m "$m" ceph --connect-timeout 10 "$@"; }
ceph_json() { local m=$1; shift; cephq "$m" "$@" --format json; }
# ceph_daemons_of N: the Ceph daemons running for member mN (by their pid files).
ceph_daemons_of() { in_m "$1" sh -c 'for f in "${CEPH_CONF%/etc/ceph.conf}"/run/*.pid; do [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && basename "$f" .pid; done; true'; }
wait_health_ok() {  # wait_health_ok N SECONDS
  local i
  for i in $(seq "$2"); do
    [ "$(ceph_json "$1" health 2>/dev/null | jq -r .status)" = HEALTH_OK ] && return 0
    sleep 1
  done
  return 1
}
write_preseed() {  # write_preseed FILE INITIATOR MEMBER...
  local file=$1 initiator=$2 m
  shift 2
  { echo "initiator: $initiator"; echo "lookup_subnet: $subnet"; echo "session_passphrase: ceph test pass phrase"
    echo "session_timeout: 90s"; echo "systems:"
    for m in "$@"; do
      echo "- name: $m"; echo "  storage:"; echo "    local:"; echo "      path: $(disk "${m#m}" 0)"; echo "      wipe: true"
    done
    echo "ceph:"; echo "  public_network: $subnet"; echo "  internal_network: $underlay_subnet"; echo "  cephfs: true"
    echo "storage:"; echo "  ceph:"; echo '  - find: size >= 4GiB && size < 5GiB'; echo "    find_min: 1"; echo "    wipe: true"
  } >"$file"
}
write_preseed "$TEST_TMP/form.yaml" m1 m1 m2 m3
write_lxd_preseed() {  # write_lxd_preseed FILE MEMBER...: LXD alone, each member's first disk as local
  local file=$1 m
  shift
  { echo "initiator: m1"; echo "lookup_subnet: $subnet"; echo "session_passphrase: ceph test pass phrase"
    echo "session_timeout: 90s"; echo "systems:"
    for m in "$@"; do
      echo "- name: $m"; echo "  storage:"; echo "    local:"; echo "      path: $(disk "${m#m}" 0)"; echo "      wipe: true"
    done
  } >"$file"
}
# Something on every local disk that only a wipe removes.
for m in 1 2 3 4; do mkfs.ext4 -q -F "$(disk "$m" 0)" >/dev/null 2>&1 || fail "mkfs.ext4 on m$m's first disk"; done

# ---- m1's monitor killed once Ceph is bootstrapped, as m2 and m3 join: the run fails and is taken back -----
mon1='${CEPH_CONF%/etc/ceph.conf}/run/ceph-mon.m1.pid'
preseed_with_fault "$TEST_TMP/form.yaml" "Joining m[23] to ceph" "kill_daemon 1 '$mon1'" 1 2 3
fault_case "ceph: m1 ceph-mon after bootstrap" 'Plugin ceph failed on member m[123] at step "(join|issue a token for m[23])"'
expect_not_clustered 1 2 3
expect_lxd_standalone 1 2 3
expect_ceph_taken_back 1 1 2 3
pass "m1's ceph-mon killed after Ceph's bootstrap: no member clustered; Ceph's daemons, files and OSD disks taken back on m1-m3"

# ---- LXD's join fails on m3: Ceph's changes of the run are taken back ------------------------------------
preseed_with_fault "$TEST_TMP/form.yaml" "Bootstrapping lxd" "lab stop m3 --lxd --kill" 1 2 3
fault_case "ceph: m3 LXD at lxd's wave" 'Plugin lxd failed on member m3 at step "join"'
expect_rolled_back_after_lxd ceph
expect_ceph_taken_back 1 1 2 3
pass "LXD killed on m3 during the run: Ceph's daemons, files and OSD disks were taken back on m1-m3"

# ---- an LXD-only cloud, then `service add ceph` forms Ceph and LXD's pools on it ----------------------
write_lxd_preseed "$TEST_TMP/lxd.yaml" m1 m2 m3
form_again "$TEST_TMP/lxd.yaml" 1 2 3
fault_table "yes (an LXD-only preseed and service add ceph, once, after both faults)"
[ "$(mc 1 service list --format json | jq '.ceph | length')" = 0 ] || fail "Ceph runs before service add"
t_add=$(now_ms)
# Upstream's questions, answered by lines: distributed storage yes, each member's second disk (by
# its row number in the table shown), wipe them all, no encryption, CephFS, internal network on
# the underlay, public network on the cluster subnet.
mkfifo "$TEST_TMP/add.in"
(set +e; mc 1 service add ceph <"$TEST_TMP/add.in" >"$TEST_TMP/add.out" 2>&1; echo $? >"$TEST_TMP/add.rc") &
exec 8>"$TEST_TMP/add.in"
printf 'yes\n' >&8
for _ in $(seq 150); do grep -q "Rows to select" "$TEST_TMP/add.out" && break; sleep 0.2; done
grep -q "Rows to select" "$TEST_TMP/add.out" || fail "service add showed no disk table: $(cat "$TEST_TMP/add.out")"
rows=$(for m in 1 2 3; do grep -F " $(disk "$m" 1) " "$TEST_TMP/add.out" | head -n 1 | awk -F'|' '{ gsub(/ /, "", $2); print $2 }'; done | paste -sd' ')
[ "$(wc -w <<<"$rows")" = 3 ] || fail "the disk table does not list each member's second disk: $(cat "$TEST_TMP/add.out")"
printf '%s\nall\nno\nyes\n%s\n%s\n' "$rows" "$underlay_subnet" "$subnet" >&8
exec 8>&-
for _ in $(seq 900); do [ -s "$TEST_TMP/add.rc" ] && break; sleep 0.2; done
cat "$TEST_TMP/add.out"
[ "$(cat "$TEST_TMP/add.rc" 2>/dev/null)" = 0 ] || fail "service add ceph failed: $(cat "$TEST_TMP/add.out")"
t_formed=$(now_ms)
for text in "Adding services: ceph" "Would you like to set up distributed storage?" "Bootstrapping ceph on m1" \
  "Plugin lxd configured the cluster" "MicroCloud is ready"; do
  expect_contains "$(cat "$TEST_TMP/add.out")" "$text" "service add ceph: $text"
done
wait_health_ok 1 90 || fail "Ceph is not HEALTH_OK: $(cephq 1 health detail)"
status=$(ceph_json 1 status)
[ "$(jq '.quorum_names | length' <<<"$status")" = 3 ] || fail "quorum is not of 3: $(jq -c .quorum_names <<<"$status")"
osds=$(ceph_json 1 osd stat)
[ "$(jq '[.num_osds, .num_up_osds, .num_in_osds] == [3,3,3]' <<<"$osds")" = true ] || fail "OSDs are not 3 up and in: $osds"
for id in $(ceph_json 1 osd ls | jq -r '.[]'); do
  meta=$(ceph_json 1 osd metadata "$id")
  front=$(jq -r .front_addr <<<"$meta"); back=$(jq -r .back_addr <<<"$meta")
  [[ $front == *"${subnet%.*/*}".* ]] || fail "osd.$id's public address $front is not on $subnet"
  [[ $back == *"${underlay_subnet%.*/*}".* ]] || fail "osd.$id's cluster address $back is not on $underlay_subnet"
done
for pool in lxd_remote lxd_cephfs_meta lxd_cephfs_data; do
  [ "$(ceph_json 1 osd pool get "$pool" size | jq .size)" = 3 ] || fail "pool $pool is not of size 3"
done
ceph_json 1 fs get lxd_cephfs | jq -e '[.mdsmap.info[] | select(.state == "up:active")] | length == 1' >/dev/null ||
  fail "lxd_cephfs has no active MDS: $(cephq 1 fs status)"
lxc_in 1 storage list
[ "$(lxc_in 1 storage show remote | awk '/^status:/ {print $2}')" = Created ] || fail "pool remote is not Created"
[ "$(lxc_in 1 storage show local | awk '/^status:/ {print $2}')" = Created ] || fail "pool local is not Created"
for m in 1 2 3; do
  src=$(lxc_in 1 storage get local source --target "m$m")
  [ "$src" = "$(disk "$m" 0)" ] || fail "m$m's local pool is on '$src', not the named disk $(disk "$m" 0)"
  type=$(blkid -p -o value -s TYPE "$(disk "$m" 0)" || true)
  [ "$type" != ext4 ] || fail "m$m's local disk still holds ext4: the wipe was not honoured"
done
expect_contains "$(mc 2 status)" "mons in quorum" "status shows Ceph through the ceph status hook"
services=$(mc 2 service list --format json) || fail "service list on m2"
echo "$services" | jq -c '[.ceph[] | [.name, .role, .status]]'
jq -e '[.ceph[] | select(.status == "ONLINE" and (.role | contains("mon") and contains("osd")))] | length == 3' >/dev/null <<<"$services" ||
  fail "service list does not show Ceph ONLINE with mon and osd on m1-m3: $services"
pass "an LXD-only cloud formed by preseed, then Ceph by service add in $((t_formed - t_add)) ms: HEALTH_OK, 3 mons, 3 OSDs (public on $subnet, cluster on $underlay_subnet), pools of size 3, lxd_cephfs active, remote and local Created (local on the named disks, wiped); service list shows Ceph ONLINE on m1-m3"

# ---- objects and RBD -----------------------------------------------------------------------------------
in_m 1 sh -c 'd=$(mktemp -d) && for k in $(seq 100); do head -c $((k * 512)) /dev/urandom > "$d/o$k"; rados -p lxd_remote put "e2e-obj-$k" "$d/o$k" || exit 1; done; cat "$d"/o* | md5sum; rm -rf "$d"' >"$TEST_TMP/sum" ||
  fail "rados put of 100 objects on m1"
read_all() {  # read_all N: the md5 of the 100 objects read on mN
  in_m "$1" sh -c 'd=$(mktemp -d) && for k in $(seq 100); do rados -p lxd_remote get "e2e-obj-$k" "$d/o$k" || exit 1; done; cat "$d"/o* | md5sum; rm -rf "$d"'
}
[ "$(read_all 3)" = "$(cat "$TEST_TMP/sum")" ] || fail "the 100 objects read on m3 differ from those written on m1"
in_m 1 rbd create lxd_remote/e2e-img --size 256M || fail "rbd create"
bench_w=$(in_m 1 rbd bench --io-type write --io-size 4K --io-threads 8 --io-total 16M --io-pattern rand lxd_remote/e2e-img 2>&1) || fail "rbd bench write: $bench_w"
bench_r=$(in_m 3 rbd bench --io-type read --io-size 1M --io-threads 4 --io-total 64M --io-pattern seq lxd_remote/e2e-img 2>&1) || fail "rbd bench read: $bench_r"
echo "rbd bench (m1 write 4K random): $(tail -1 <<<"$bench_w")"
echo "rbd bench (m3 read 1M sequential): $(tail -1 <<<"$bench_r")"
in_m 1 rbd rm lxd_remote/e2e-img >/dev/null 2>&1 || fail "rbd rm"
pass "100 objects written on m1 read back intact on m3; an RBD image written on m1 and read on m3 through librbd"

# ---- m2's OSD stopped: everything still readable -----------------------------------------------------------
osd2=$(ceph_json 1 osd tree | jq -r '.nodes[] | select(.type == "host" and .name == "m2") | .children[0]')
pidfile=$(in_m 2 sh -c 'echo "${CEPH_CONF%/etc/ceph.conf}"/run/ceph-osd.'"$osd2"'.pid')
pid=$(cat "$pidfile"); restart=$(tr '\0' ' ' <"/proc/$pid/cmdline")
kill "$pid"; for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
for _ in $(seq 30); do ceph_json 1 osd dump | jq -e --argjson i "$osd2" '.osds[] | select(.osd == $i) | .up == 0' >/dev/null && break; sleep 1; done
[ "$(read_all 1)" = "$(cat "$TEST_TMP/sum")" ] || fail "objects are not readable with m2's OSD down"
in_m 2 sh -c "$restart" || fail "could not start osd.$osd2 again: $restart"
wait_health_ok 1 120 || fail "not HEALTH_OK after osd.$osd2 came back: $(cephq 1 health detail)"
pass "osd.$osd2 on m2 stopped: all 100 objects still readable; back up, HEALTH_OK"

# ---- remove m3; add m4 ----------------------------------------------------------------------------------
t_remove=$(now_ms)
out=$(mc 1 remove m3 2>&1) || fail "remove m3: $out"
echo "$out"
t_removed=$(now_ms)
tree=$(ceph_json 1 osd tree)
jq -e '[.nodes[] | select(.name == "m3")] | length == 0' <<<"$tree" >/dev/null || fail "m3 is still in the OSD tree: $(cephq 1 osd tree)"
[ "$(ceph_json 1 mon dump | jq '.mons | length')" = 2 ] || fail "the monmap is not of 2 after remove m3: $(cephq 1 mon dump)"
[ "$(ceph_json 1 osd pool get lxd_remote size | jq .size)" = 2 ] || fail "lxd_remote is not of size 2 after remove m3"
[ -z "$(ceph_daemons_of 3)" ] || fail "m3 still runs Ceph daemons: $(ceph_daemons_of 3)"
wait_health_ok 1 120 || fail "not HEALTH_OK after remove m3: $(cephq 1 health detail)"
[ "$(read_all 2)" = "$(cat "$TEST_TMP/sum")" ] || fail "objects are not readable on m2 after remove m3"
pass "remove m3 in $((t_removed - t_remove)) ms: its OSD purged, monmap of 2, replication 2, HEALTH_OK, objects intact"

write_preseed "$TEST_TMP/add.yaml" m1 m4
preseed_on "$TEST_TMP/add.yaml" 1 4
for m in 1 4; do [ "$(cat "$TEST_TMP/rc-m$m")" = 0 ] || fail "add preseed on m$m failed: $(cat "$TEST_TMP/out-m$m")"; done
osds=$(ceph_json 1 osd stat)
[ "$(jq '[.num_osds, .num_up_osds, .num_in_osds] == [3,3,3]' <<<"$osds")" = true ] || fail "OSDs are not 3 up and in after adding m4: $osds"
ceph_json 1 osd tree | jq -e '[.nodes[] | select(.type == "host" and .name == "m4") | .children[]] | length == 1' >/dev/null ||
  fail "m4 has no OSD: $(cephq 1 osd tree)"
[ "$(ceph_json 1 osd pool get lxd_remote size | jq .size)" = 3 ] || fail "lxd_remote is not of size 3 after adding m4"
wait_health_ok 1 120 || fail "not HEALTH_OK after adding m4: $(cephq 1 health detail)"
pass "m4 added with a disk: its OSD in, replication 3, HEALTH_OK"
