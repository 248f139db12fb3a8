#!/usr/bin/env bash
# bench/ceph_formation_bench.sh - what forming Ceph adds to a formation, measured in one run: the
# same lab (two loop disks per member) formed by preseed with LXD only (a local disk per member),
# with LXD + Ceph (the second disk of every member an OSD, CephFS), and with LXD + Ceph where the
# members join one at a time (microcloudd's join-concurrency 1) instead of side by side. Prints the
# three times, their ratios, Ceph's part (its bootstrap on m1 until LXD's wave starts) and the
# resident memory of each member's Ceph daemons after the formation; then the phases of the largest
# formation with Ceph.
# Usage: bench/ceph_formation_bench.sh [BUILD_DIR] [SIZES...]   (default: build, size 3)
set -euo pipefail
source "$(dirname "$0")/lab_bench.sh"
lab_bench_setup ceph_bench "3" "$@"

# form N MODE: prints "TOTAL_MS CEPH_MS" for one formation of N members (MODE lxd, ceph or serial).
form() {
  local n=$1 mode=$2 file=$tmp/preseed.yaml start i total ceph=0 status
  lab down >/dev/null 2>&1 || true
  lab up --members "$n" --disks 2 --disk-size 4G --components --build-dir "$build" --disable-plugin fan >/dev/null
  status=$(lab status --format json)
  if [ "$mode" = serial ]; then
    for i in $(seq 1 "$n"); do
      echo "join-concurrency: 1" >>"$(jq -r ".members[$((i - 1))].config" <<<"$status")"
      lab stop "m$i" >/dev/null && lab start "m$i" >/dev/null
    done
  fi
  { echo "initiator: m1"; echo "lookup_subnet: $(jq -r .subnet <<<"$status")"
    echo "session_passphrase: a b c d"; echo "session_timeout: 10m"; echo "systems:"
    for i in $(seq 1 "$n"); do
      echo "- name: m$i"; echo "  storage:"
      echo "    local: {path: $(jq -r ".members[$((i - 1))].disks[0]" <<<"$status"), wipe: true}"
      [ "$mode" = lxd ] || echo "    ceph: [{path: $(jq -r ".members[$((i - 1))].disks[1]" <<<"$status"), wipe: true}]"
    done
    [ "$mode" = lxd ] || { echo "ceph:"; echo "  cephfs: true"; }; } >"$file"
  start=$(now_ms)
  preseed_all "$file" "$n" >/dev/null
  total=$(($(now_ms) - start))
  keep_phases "$n members, $mode"
  [ "$mode" = lxd ] || ceph=$(step_span "^Bootstrapping ceph" "^Bootstrapping lxd")
  if [ "$mode" = ceph ]; then
    for i in $(seq 1 "$n"); do
      lab exec "m$i" -- sh -c 'for f in "${CEPH_CONF%/etc/ceph.conf}"/run/*.pid; do p=$(cat "$f");
        printf "%s %s %s\n" "$MICROCLOUD_LAB_MEMBER" "$(basename "$f" .pid)" "$(awk "/VmRSS/ {print int(\$2 / 1024)}" /proc/$p/status)"; done'
    done >"$tmp/rss"
  fi
  echo "$total $ceph"
}

declare -A total ceph
for n in "${sizes[@]}"; do
  for mode in lxd ceph serial; do
    read -r total[$n.$mode] ceph[$n.$mode] < <(form "$n" "$mode")
    echo "$n members, $mode: formation ${total[$n.$mode]} ms" >&2
  done
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", b / a }'; }
printf '%-8s %12s %14s %7s %12s %22s %7s %20s\n' members "LXD only ms" "LXD + Ceph ms" ratio "Ceph part ms" "one at a time: total ms" ratio "one at a time: Ceph ms"
for n in "${sizes[@]}"; do
  printf '%-8s %12s %14s %7s %12s %22s %7s %20s\n' "$n" "${total[$n.lxd]}" "${total[$n.ceph]}" \
    "$(ratio "${total[$n.lxd]}" "${total[$n.ceph]}")" "${ceph[$n.ceph]}" "${total[$n.serial]}" \
    "$(ratio "${total[$n.ceph]}" "${total[$n.serial]}")" "${ceph[$n.serial]}"
done
echo
echo "Resident memory of the Ceph daemons after the formation (largest size), MiB:"
awk '{ rss[$1] = rss[$1] sprintf(" %s=%s", $2, $3); sum[$1] += $3 } END { for (m in rss) printf "  %s:%s (total %d)\n", m, rss[m], sum[m] }' "$tmp/rss" | sort
echo
phase_table "${sizes[-1]} members, ceph"
