#!/usr/bin/env bash
# bench/lxd_formation_bench.sh - what forming the LXD cluster adds to a formation: the same
# preseed on every member of a lab, timed from the first `microcloud preseed` until it returns,
# once with LXD running in every member (LXD bootstrapped, the others joined, pool and profile
# made) and once without (LXD takes no part), measured in the same run. Prints both, their ratio,
# the LXD part alone (bootstrap on m1 to "configured"), its cost per joining member and the phases
# of the largest formation with LXD, and MicroCloud's own share of the CPU in each formation (its
# daemons, plugin workers, the commands they ran, and the CLIs, against the whole machine: LXD's
# daemons and everything else).
# Usage: bench/lxd_formation_bench.sh [BUILD_DIR] [SIZES...]   (default: build, sizes 3 5)
set -euo pipefail
source "$(dirname "$0")/lab_bench.sh"
lab_bench_setup lxd_bench "3 5" "$@"

# form N MODE: prints "TOTAL_MS LXD_MS" for one formation of N members (MODE lxd or host).
form() {
  local n=$1 mode=$2 file=$tmp/preseed.yaml i total lxd=0
  lab down >/dev/null 2>&1 || true
  if [ "$mode" = lxd ]; then
    lab up --members "$n" --disks 0 --components --build-dir "$build" --disable-plugin fan >/dev/null
  else
    lab up --members "$n" --disks 0 --build-dir "$build" --disable-plugin fan >/dev/null
  fi
  { echo "initiator: m1"; echo "lookup_subnet: $(lab status --format json | jq -r .subnet)"
    echo "session_passphrase: a b c d"; echo "session_timeout: 10m"; echo "systems:"
    for i in $(seq 1 "$n"); do echo "- name: m$i"; done; } >"$file"
  local pids before after
  pids=$(microcloud_pids)
  before=$(cpu_mark "$pids")
  total=$(preseed_all "$file" "$n")
  after=$(cpu_mark "$pids")
  cpu_share "$before" "$after" "$(cat "$tmp/cli.ticks")" >"$tmp/cpu-$n.$mode"
  if [ "$mode" = lxd ]; then
    [ "$(lab exec m1 -- lxc cluster list -f json | jq '[.[] | select(.status == "Online")] | length')" = "$n" ] ||
      { echo "LXD does not list $n online members" >&2; exit 1; }
    lxd=$(step_span "^Bootstrapping lxd" "^Plugin lxd configured")
  fi
  keep_phases "$n members, $mode"
  echo "$total $lxd"
}

declare -A total lxd
for n in "${sizes[@]}"; do
  for mode in host lxd; do
    read -r total[$n.$mode] lxd[$n.$mode] < <(form "$n" "$mode")
    echo "$n members, $mode: formation ${total[$n.$mode]} ms, LXD part ${lxd[$n.$mode]} ms" >&2
  done
done
printf '%-8s %16s %16s %7s %12s %20s\n' members "host only ms" "with LXD ms" ratio "LXD part ms" "LXD per joiner ms"
for n in "${sizes[@]}"; do
  printf '%-8s %16s %16s %7s %12s %20s\n' "$n" "${total[$n.host]}" "${total[$n.lxd]}" \
    "$(awk -v h="${total[$n.host]}" -v l="${total[$n.lxd]}" 'BEGIN { printf "%.2fx", l / h }')" "${lxd[$n.lxd]}" \
    "$(awk -v p="${lxd[$n.lxd]}" -v n="$n" 'BEGIN { printf "%.0f", p / (n > 1 ? n - 1 : 1) }')"
done
echo
for n in "${sizes[@]}"; do
  for mode in host lxd; do echo "$n members, $mode: $(cat "$tmp/cpu-$n.$mode")"; done
done
echo
phase_table "${sizes[-1]} members, lxd"
