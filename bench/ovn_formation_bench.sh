#!/usr/bin/env bash
# bench/ovn_formation_bench.sh - what forming OVN adds to a formation, measured in one run: the
# same lab size formed by preseed with LXD only (no network provider: fan disabled, no ovn
# section) and with LXD + OVN (an ovn section, uplink and underlay per member). Prints both times,
# their ratio, OVN's part (its bootstrap on m1 until LXD's wave starts) and, with OVN, the time
# from the first `microcloud preseed` to the first ping between containers on m1 and mN (image
# import, two launches and DHCP included); then the phases of the largest formation with OVN.
# Usage: bench/ovn_formation_bench.sh [BUILD_DIR] [SIZES...]   (default: build, size 3)
set -euo pipefail
source "$(dirname "$0")/lab_bench.sh"
source "$(dirname "$0")/../tests/lib/busybox_image.sh"
lab_bench_setup ovn_bench "3" "$@"
chmod 0711 "$tmp"

# form N MODE: prints "TOTAL_MS OVN_MS PING_MS" for one formation of N members (MODE lxd or ovn).
form() {
  local n=$1 mode=$2 file=$tmp/preseed.yaml start i total ovn=0 ping=0 status
  lab down >/dev/null 2>&1 || true
  if [ "$mode" = ovn ]; then
    lab up --members "$n" --disks 0 --components --build-dir "$build" >/dev/null
  else
    lab up --members "$n" --disks 0 --components --build-dir "$build" --disable-plugin fan >/dev/null
  fi
  status=$(lab status --format json)
  { echo "initiator: m1"; echo "lookup_subnet: $(jq -r .subnet <<<"$status")"
    echo "session_passphrase: a b c d"; echo "session_timeout: 10m"; echo "systems:"
    for i in $(seq 1 "$n"); do
      echo "- name: m$i"
      if [ "$mode" = ovn ]; then
        echo "  ovn_uplink_interface: $(jq -r ".members[$((i - 1))].uplink_bridge" <<<"$status")"
        echo "  ovn_underlay_ip: $(jq -r ".members[$((i - 1))].underlay_address" <<<"$status")"
      fi
    done
    if [ "$mode" = ovn ]; then
      echo "ovn:"; echo "  ipv4_gateway: $(jq -r .uplink.gateway <<<"$status")/24"
      echo "  ipv4_range: $(jq -r .uplink.free_range <<<"$status")"
    fi; } >"$file"
  start=$(now_ms)
  preseed_all "$file" "$n" >/dev/null
  total=$(($(now_ms) - start))
  keep_phases "$n members, $mode"
  if [ "$mode" = ovn ]; then
    ovn=$(step_span "^Bootstrapping ovn" "^Bootstrapping lxd")
    lab exec m1 -- lxc image import "$(busybox_image "$tmp")" --alias busybox >/dev/null
    lab exec m1 -- lxc profile set default raw.lxc "lxc.hook.start-host = $(jq -r .lxc_tx_off_hook <<<"$status")"
    lab exec m1 -- lxc launch busybox c1 --target m1 </dev/null >/dev/null
    lab exec m1 -- lxc launch busybox c2 --target "m$n" </dev/null >/dev/null
    for c in c1 c2; do
      lab exec m1 -- lxc exec "$c" -- udhcpc -i eth0 -n -q -t 10 -T 1 -s /usr/share/udhcpc/default.script >/dev/null 2>&1
    done
    local ip2
    ip2=$(lab exec m1 -- lxc exec c2 -- ip -4 -o addr show eth0 | awk '{print $4}' | cut -d/ -f1)
    for _ in $(seq 100); do lab exec m1 -- lxc exec c1 -- ping -c1 -W1 "$ip2" >/dev/null 2>&1 && break; done
    ping=$(($(now_ms) - start))
  fi
  echo "$total $ovn $ping"
}

declare -A total ovn ping
for n in "${sizes[@]}"; do
  for mode in lxd ovn; do
    read -r total[$n.$mode] ovn[$n.$mode] ping[$n.$mode] < <(form "$n" "$mode")
    echo "$n members, $mode: formation ${total[$n.$mode]} ms" >&2
  done
done
printf '%-8s %14s %16s %7s %12s %24s\n' members "LXD only ms" "LXD + OVN ms" ratio "OVN part ms" "preseed to first ping ms"
for n in "${sizes[@]}"; do
  printf '%-8s %14s %16s %7s %12s %24s\n' "$n" "${total[$n.lxd]}" "${total[$n.ovn]}" \
    "$(awk -v a="${total[$n.lxd]}" -v b="${total[$n.ovn]}" 'BEGIN { printf "%.2fx", b / a }')" "${ovn[$n.ovn]}" \
    "${ping[$n.ovn]}"
done
echo
phase_table "${sizes[-1]} members, ovn"
