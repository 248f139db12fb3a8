#!/usr/bin/env bash
# bench/idle_rss.sh - idle memory of MicroCloud against the LXD it manages, on a 3-member lab
# with LXD running (the LXD, OVN and Ceph plugins loaded, fan left out) after one LXD formation.
# Measured per member twice: right after `microcloud status` (every plugin's worker process is
# running) and once the workers stopped for being idle (microcloudd --plugin-idle-stop). Prints
# microcloudd's RSS, its workers' RSS and count, their sum, LXD's RSS and the ratio sum / LXD; and the
# same sum as PSS (shared library pages split among the processes that map them) against LXD's PSS.
# Usage: bench/idle_rss.sh [BUILD_DIR]   (default: build; Release is what users run: build-release)
set -euo pipefail
source "$(dirname "$0")/lab_bench.sh"
lab_bench_setup idle_rss "3" "$@"
idle_stop=10

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
pss_kib() { awk '/^Pss:/ { print $2 }' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }
# measure LABEL: one table row per member
measure() {
  local label=$1 status m pid lxd workers w wsum n psum
  status=$(lab status --format json)
  for m in 1 2 3; do
    pid=$(jq -r ".members[$((m - 1))].microcloudd_pid" <<<"$status")
    lxd=$(jq -r "[.members[$((m - 1))] | .. | .lxd_pid? // empty] | first" <<<"$status")
    workers=$(pgrep -P "$pid" -f microcloud-plugin-worker || true)
    wsum=0 n=0 psum=$(pss_kib "$pid")
    for w in $workers; do wsum=$((wsum + $(rss_kib "$w"))); psum=$((psum + $(pss_kib "$w"))); n=$((n + 1)); done
    awk -v label="$label" -v m="m$m" -v d="$(rss_kib "$pid")" -v w="$wsum" -v n="$n" -v l="$(rss_kib "$lxd")" \
      -v p="$psum" -v lp="$(pss_kib "$lxd")" \
      'BEGIN { printf "%-22s %-6s %14.1f %8d %12.1f %10.1f %10.1f %7.2fx %10.1f %7.2fx\n", label, m, d / 1024, n,
               w / 1024, (d + w) / 1024, l / 1024, (d + w) / l, p / 1024, p / lp }'
  done
}

lab up --members 3 --disks 0 --components --build-dir "$build" --disable-plugin fan \
  --microcloudd-arg "--plugin-idle-stop=$idle_stop" >/dev/null
{ echo "initiator: m1"; echo "lookup_subnet: $(lab status --format json | jq -r .subnet)"
  echo "session_passphrase: a b c d"; echo "session_timeout: 10m"; echo "systems:"
  for i in 1 2 3; do echo "- name: m$i"; done; } >"$tmp/preseed.yaml"
ms=$(preseed_all "$tmp/preseed.yaml" 3)
echo "formed 3 members with LXD in $ms ms" >&2
sleep 5  # let LXD settle after the formation
for m in 1 2 3; do lab exec "m$m" -- microcloud status >/dev/null; done
printf '%-22s %-6s %14s %8s %12s %10s %10s %8s %10s %8s\n' state member "microcloudd MiB" workers "workers MiB" \
  "sum MiB" "LXD MiB" "sum/LXD" "sum PSS" "PSS/LXD"
measure "workers running"
sleep $((idle_stop + 8))  # idle stop, plus the janitor's tick
measure "workers stopped (idle)"
