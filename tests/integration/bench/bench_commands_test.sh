#!/usr/bin/env bash
# tests/integration/bench/bench_commands_test.sh - the benchmark commands of the README's Benchmarks
# section start as written: each one (its placeholders filled in: BUILD_DIR this build, SIZES and
# ROUNDS left out, TARGET a fuzz target, SECONDS 1) run with MICROCLOUD_BENCH_CHECK=1 exits 0 and
# says it is ready; every script in bench/ is documented there; bad sizes are refused by name; the
# store bench runs for real with 10 writes and 10 reads.
# Usage: bench_commands_test.sh SOURCE_DIR BUILD_DIR   (root: the lab benchmarks need it)
source "$(dirname "$0")/../../lib/testlib.sh"
src=${1:?usage: bench_commands_test.sh SOURCE_DIR BUILD_DIR}
build=$(cd "${2:?usage: bench_commands_test.sh SOURCE_DIR BUILD_DIR}" && pwd)
[ "$(id -u)" = 0 ] || { echo "SKIP: the lab benchmarks need root" >&2; exit 77; }
cd "$src"

section=$(sed -n '/^## Benchmarks$/,/^## /p' README.md)
[ -n "$section" ] || fail "README.md has no Benchmarks section"
mapfile -t documented < <(grep -o '`\(bench\|scripts\)/[a-z_]*\(\.sh\)\?[^`]*`' <<<"$section" | tr -d '`' | sort -u)
((${#documented[@]} >= 8)) || fail "only ${#documented[@]} benchmark commands found in the README: ${documented[*]}"

for script in bench/*.sh; do
  [ "$script" = bench/lab_bench.sh ] && continue  # sourced by the others
  printf '%s\n' "${documented[@]}" | grep -q "^$script\b" || fail "$script is not in the README's Benchmarks section"
done
pass "every script in bench/ is documented (${#documented[@]} commands)"

target=$(bench/fuzz.sh list | awk 'NR == 1')
for command in "${documented[@]}"; do
  filled=$(sed -e "s|\[BUILD_DIR\]|$build|; s|BUILD_DIR|$build|; s|\[SIZES\.\.\.\]||; s|\[ROUNDS\]||" \
    -e "s|TARGET|$target|; s|SECONDS|1|" <<<"$command")
  [ "$command" = "bench/fuzz.sh list" ] && continue  # no check mode: it only lists
  out=$(MICROCLOUD_BENCH_CHECK=1 MICROCLOUD_BENCH_BUILD=$build timeout 90 $filled 2>&1) ||
    fail "\`$command\` (run as: $filled) did not start: $out"
  expect_contains "$out" "ready" "\`$command\` starts"
done

out=$(MICROCLOUD_BENCH_CHECK=1 bench/formation_bench.sh "$build" 10 ten 2>&1) && fail "a size \"ten\" was accepted"
expect_contains "$out" '"ten" is not a count' "a bad size is refused by name"
out=$("$build/bin/bench_cluster_store" --writes 2>&1) && fail "bench_cluster_store accepted --writes without a value"
expect_contains "$out" "accepted: --writes N" "bench_cluster_store names what it accepts"
