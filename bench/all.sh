#!/usr/bin/env bash
# bench/all.sh - the one entry point of the benchmarks: runs each of them in turn, each printing its
# own figures and ratios (every ratio against a baseline measured in the same run) under a heading,
# then a table of the benchmarks with their exit status and minutes. Takes about an hour on 2 cores;
# it is never part of CI. Needs root (the lab benchmarks make network namespaces).
# Usage: bench/all.sh [BUILD_DIR]   (default: build-release, configured and built Release here if it
#        has no microcloudd yet: the figures are what users get)
# MICROCLOUD_BENCH_CHECK=1: every benchmark checks its arguments and build and stops (see lab_bench.sh).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$repo/build-release}
if [ ! -x "$build/bin/microcloudd" ]; then
  echo "== building $build (Release)"
  cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release -DMICROCLOUD_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build" -j"$(nproc)" >/dev/null
fi
build=$(cd "$build" && pwd)

# name | command: what each benchmark measures is in its own header and in the README.
benchmarks=(
  "store (dqlite vs SQLite)|$repo/scripts/bench"
  "formation 10 and 50 members, all at once vs one at a time|$repo/bench/formation_bench.sh $build 10 50"
  "formation with and without LXD|$repo/bench/lxd_formation_bench.sh $build"
  "formation with LXD + OVN|$repo/bench/ovn_formation_bench.sh $build"
  "formation with LXD + Ceph|$repo/bench/ceph_formation_bench.sh $build"
  "status against lxc cluster list|$repo/bench/status_bench.sh $build"
  "idle memory against LXD|$repo/bench/idle_rss.sh $build"
)
results=()
failed=0
for entry in "${benchmarks[@]}"; do
  name=${entry%%|*} command=${entry#*|}
  echo
  echo "== $name: $command"
  start=$(date +%s)
  status=0
  $command || status=$?
  [ "$status" = 0 ] || failed=1
  results+=("$(printf '%-58s %6s %8.1f' "$name" "$status" "$(awk -v s="$(($(date +%s) - start))" 'BEGIN { print s / 60 }')")")
done
echo
printf '%-58s %6s %8s\n' benchmark exit minutes
printf '%s\n' "${results[@]}"
exit "$failed"
