#!/usr/bin/env bash
# bench/status_bench.sh - how long `microcloud status` takes on a formed 3-member lab with every
# component (OVN with LXD on it, Ceph with one OSD per member), against `lxc cluster list` on the
# same member in the same run: the median (p50) and the slowest of ROUNDS calls each, and their
# ratios. `status --refresh` (every plugin discovers afresh) is measured too.
# Usage: bench/status_bench.sh [BUILD_DIR] [ROUNDS]   (default: build, 10 rounds)
set -euo pipefail
source "$(dirname "$0")/lab_bench.sh"
lab_bench_setup status_bench "10" "$@"
rounds=${sizes[0]}

lab up --members 3 --components --disks 1 --disk-size 4G --disable-plugin fan --build-dir "$build" >/dev/null
status=$(lab status --format json)
gw=$(jq -r .uplink.gateway <<<"$status")
{ echo "initiator: m1"; echo "lookup_subnet: $(jq -r .subnet <<<"$status")"
  echo "session_passphrase: status bench pass phrase"; echo "session_timeout: 10m"; echo "systems:"
  for i in 1 2 3; do
    echo "- name: m$i"
    echo "  ovn_uplink_interface: $(jq -r ".members[$((i - 1))].uplink_bridge" <<<"$status")"
    echo "  ovn_underlay_ip: $(jq -r ".members[$((i - 1))].underlay_address" <<<"$status")"
    echo "  storage:"; echo "    ceph: [{path: $(jq -r ".members[$((i - 1))].disks[0]" <<<"$status"), wipe: true}]"
  done
  echo "ovn:"; echo "  ipv4_gateway: $gw/24"; echo "  ipv4_range: $(jq -r .uplink.free_range <<<"$status")"
  echo "  dns_servers: $gw"
  echo "ceph:"; echo "  public_network: $(jq -r .subnet <<<"$status")"
  echo "  internal_network: $(jq -r .underlay_subnet <<<"$status")"; } >"$tmp/preseed.yaml"
formed=$(preseed_all "$tmp/preseed.yaml" 3)
echo "formed OVN, LXD and Ceph on 3 members in $formed ms" >&2

# times NAME COMMAND...: runs COMMAND on m1 ROUNDS times (output discarded) and sets p50 and max
# (ms); a failing COMMAND stops the benchmark.
times() {
  local name=$1 i start
  shift
  : >"$tmp/times"
  for i in $(seq 1 "$rounds"); do
    start=$(now_ms)
    lab exec m1 -- "$@" >/dev/null 2>"$tmp/err" || { echo "$name failed: $(cat "$tmp/err")" >&2; exit 1; }
    echo $(($(now_ms) - start)) >>"$tmp/times"
  done
  read -r p50 max < <(sort -n "$tmp/times" | awk '{ v[NR] = $1 } END { printf "%d %d\n", v[int((NR + 1) / 2)], v[NR] }')
}
times "lxc cluster list" lxc cluster list; lxc_p50=$p50 lxc_max=$max
times "microcloud cluster list" microcloud cluster list; list_p50=$p50 list_max=$max
times "microcloud status" microcloud status; st_p50=$p50 st_max=$max
times "microcloud status --refresh" microcloud status --refresh; ref_p50=$p50 ref_max=$max
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", b / a }'; }
printf '%-30s %8s %8s %16s\n' "command (on m1, $rounds rounds)" "p50 ms" "max ms" "p50 / lxc's p50"
printf '%-30s %8s %8s %16s\n' "lxc cluster list" "$lxc_p50" "$lxc_max" "1.00x"
printf '%-30s %8s %8s %16s\n' "microcloud cluster list" "$list_p50" "$list_max" "$(ratio "$lxc_p50" "$list_p50")"
printf '%-30s %8s %8s %16s\n' "microcloud status" "$st_p50" "$st_max" "$(ratio "$lxc_p50" "$st_p50")"
printf '%-30s %8s %8s %16s\n' "microcloud status --refresh" "$ref_p50" "$ref_max" "$(ratio "$lxc_p50" "$ref_p50")"
