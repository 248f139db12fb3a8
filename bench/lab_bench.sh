# bench/lab_bench.sh - the common start of the lab benchmarks (sourced): BUILD_DIR and SIZES from
# the arguments, root required, one lab named after the benchmark and a scratch directory, both
# removed at exit.
#   lab_bench_setup NAME DEFAULT-SIZES "$@"
# defines: repo, build, sizes (array), tmp, lab ARGS (scripts/lab on this benchmark's lab), now_ms.
# With MICROCLOUD_BENCH_CHECK=1 it checks the arguments and the build, says "NAME: ready" and
# exits 0 before making anything (tests/integration/bench checks that every documented command starts).

lab_bench_setup() {
    local name=$1 default_sizes=$2
    shift 2
    repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    build=$(cd "${1:-$repo/build}" && pwd)
    shift || true
    read -r -a sizes <<<"${*:-$default_sizes}"
    local size bin
    for size in "${sizes[@]}"; do
        [[ $size =~ ^[1-9][0-9]*$ ]] || { echo "$name: \"$size\" is not a count (a positive whole number)" >&2; exit 2; }
    done
    [ "$(id -u)" = 0 ] || { echo "$name: needs root (network namespaces)" >&2; exit 1; }
    for bin in microcloudd microcloud microcloud-plugin-worker; do
        [ -x "$build/bin/$bin" ] || { echo "$name: $build/bin/$bin is missing: build $build first" >&2; exit 1; }
    done
    if [ "${MICROCLOUD_BENCH_CHECK:-0}" = 1 ]; then
        echo "$name: ready (build $build, sizes ${sizes[*]})"
        exit 0
    fi
    export MICROCLOUD_LAB_ROOT=${MICROCLOUD_LAB_ROOT:-/tmp/microcloud-bench}
    LAB_BENCH_NAME=${name//_/}$$
    tmp=$(mktemp -d "/tmp/$name.XXXXXX")
    trap 'lab down >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
}

lab() { "$repo/scripts/lab" --name "$LAB_BENCH_NAME" "$@"; }
now_ms() { date +%s%3N; }

# preseed_all FILE N: `microcloud preseed` with FILE on m1..mN at once (m1's JSON answer, with its
# timed steps, in $tmp/m1.json); prints the milliseconds until every one returned, or fails with
# m1's error.
preseed_all() {
    local file=$1 n=$2 start i pids=()
    start=$(now_ms)
    lab exec m1 -- microcloud preseed --format json <"$file" >"$tmp/m1.json" 2>"$tmp/m1.err" &
    pids+=($!)
    for i in $(seq 2 "$n"); do
        lab exec "m$i" -- microcloud preseed <"$file" >/dev/null 2>&1 &
        pids+=($!)
    done
    for i in "${pids[@]}"; do wait "$i" || { cat "$tmp/m1.err" >&2; return 1; }; done
    echo $(($(now_ms) - start))
}

# step_span FIRST-REGEX LAST-REGEX: milliseconds between the two steps of $tmp/m1.json.
step_span() {
    jq --arg a "$1" --arg b "$2" '[.steps[] | select(.step | test($a) or test($b)) | .ms] |
        if length == 2 then .[1] - .[0] else error("steps \($a) and \($b) not both found") end' "$tmp/m1.json"
}

# keep_phases NAME: keeps $tmp/m1.json (the last preseed_all's answer on m1) as NAME's phases.
keep_phases() { cp "$tmp/m1.json" "$tmp/phases-$1.json"; }

# phase_table NAME: the per-phase breakdown of the formation kept as NAME: every step m1 reported
# (membership, roles, discovery, validation, each plugin's bootstrap, joins and configure), when it
# began and how long until the next one began (steps of plugins in one wave overlap).
phase_table() {
    echo "Phases of the formation \"$1\" (m1's steps):"
    jq -r '.steps as $s | range(0; $s | length) |
        [$s[.].ms, (if . + 1 < ($s | length) then $s[. + 1].ms - $s[.].ms else 0 end), $s[.].step] | @tsv' \
        "$tmp/phases-$1.json" |
        awk -F'\t' 'BEGIN { printf "  %8s %8s  %s\n", "at ms", "took ms", "step" }
                    { printf "  %8d %8d  %s\n", $1, $2, substr($3, 1, 100) }'
}
