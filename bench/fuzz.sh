#!/usr/bin/env bash
# bench/fuzz.sh - runs one libFuzzer target of tests/fuzz for a while: configures (once) and builds a
# clang ASan+UBSan+libFuzzer tree in build-fuzz/, fuzzes a work copy of the committed corpus there
# (build-fuzz/fuzz-corpus/TARGET, kept between runs; the source tree is never written) and prints one
# summary line: target, seconds, executions, corpus size, crashes (0 or the crash files).
# Usage: bench/fuzz.sh TARGET SECONDS    fuzz TARGET for SECONDS
#        bench/fuzz.sh list              print the target names
# Environment: FUZZ_BUILD_DIR (default: build-fuzz in the repository), FUZZ_JOBS (build jobs, default 1),
# MICROCLOUD_BENCH_CHECK=1 (check the arguments, say "fuzz: ready" and stop before building).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
jobs=${FUZZ_JOBS:-1}
sanitize="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all"

usage() {
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

targets() {
  local file
  for file in "$root"/tests/fuzz/*_fuzz.cpp; do
    file=$(basename "$file")
    echo "${file%_fuzz.cpp}"
  done
}

configure() {
  [ -f "$build/CMakeCache.txt" ] && return
  CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g" \
    -DCMAKE_CXX_FLAGS="-fno-omit-frame-pointer $sanitize" -DCMAKE_C_FLAGS="-fno-omit-frame-pointer $sanitize" \
    -DMICROCLOUD_FUZZ=ON -DMICROCLOUD_BUILD_TESTS=ON >"$build.configure.log" 2>&1 ||
    { cat "$build.configure.log" >&2; exit 1; }
}

[ $# -ge 1 ] || usage
if [ "$1" = list ]; then
  targets
  exit 0
fi
[ $# -eq 2 ] || usage
target=$1 seconds=$2
targets | grep -x "$target" >/dev/null || { echo "fuzz.sh: no target '$target' (bench/fuzz.sh list)" >&2; exit 2; }
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -gt 0 ] || { echo "fuzz.sh: SECONDS must be a positive number" >&2; exit 2; }
if [ "${MICROCLOUD_BENCH_CHECK:-0}" = 1 ]; then
  echo "fuzz: ready ($target for $seconds s in $build)"
  exit 0
fi

configure
nice -n 10 cmake --build "$build" -j"$jobs" --target "fuzz_$target" >"$build/fuzz_$target.build.log" 2>&1 ||
  { tail -40 "$build/fuzz_$target.build.log" >&2; exit 1; }

corpus=$build/fuzz-corpus/$target
artifacts=$build/fuzz-artifacts/$target
log=$build/fuzz-logs/$target.log
mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
cp -n "$root/tests/fuzz/corpus/$target"/* "$corpus"/
before=$(ls "$artifacts" | sort)

export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
start=$(date +%s)
status=0
(cd "$build" && nice -n 10 "$build/bin/fuzz_$target" "$corpus" -max_total_time="$seconds" -timeout=10 \
  -rss_limit_mb=2048 -artifact_prefix="$artifacts/" -print_final_stats=1) >"$log" 2>&1 || status=$?
elapsed=$(($(date +%s) - start))

executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
files=$(find "$corpus" -type f | wc -l)
bytes=$(du -sb "$corpus" | cut -f1)
found=$(comm -13 <(echo "$before") <(ls "$artifacts" | sort) | sed "s|^|$artifacts/|" | tr '\n' ' ')
echo "fuzz $target: ${elapsed} s, ${executions:-?} executions, corpus $files files ($bytes bytes)," \
  "crashes: ${found:-0} (exit $status, log $log)"
[ -z "$found" ] && [ "$status" -eq 0 ]
