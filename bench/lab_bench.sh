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

# microcloud_pids: the pids of the lab's microcloudd processes and of their plugin workers (taken
# before a measurement, so that reading them costs nothing inside it).
microcloud_pids() {
    local pid
    for pid in $(lab status --format json | jq -r '.members[].microcloudd_pid // empty'); do
        echo "$pid"
        pgrep -P "$pid" -x microcloud-plug || true
    done
}

# cpu_mark PIDS: "MACHINE MICROCLOUD" in clock ticks so far: the CPU time of the whole machine (user,
# nice, system, irq, softirq) and of the processes PIDS (microcloud_pids), each with the commands it
# ran and waited for (version probes, openssl, blkid: MicroCloud's choices). Bash builtins only: no
# process of its own is counted.
cpu_mark() {
    local pid line total=0 user nice system irq softirq
    local -a fields
    for pid in $1; do
        read -r line 2>/dev/null <"/proc/$pid/stat" || continue
        # utime stime cutime cstime: fields 14-17, the 12th-15th after the ")" that ends the name.
        read -r -a fields <<<"${line##*) }"
        total=$((total + fields[11] + fields[12] + fields[13] + fields[14]))
    done
    read -r _ user nice system _ _ irq softirq _ </proc/stat
    echo "$((user + nice + system + irq + softirq)) $total"
}

# cpu_share BEFORE AFTER CLI_TICKS: one line on what MicroCloud's own processes took of the machine's
# CPU between two cpu_marks: the daemons (with workers and the commands they ran) and the CLIs
# (CLI_TICKS, with the lab's exec that starts them), against everything else (the components'
# daemons and whatever else ran).
cpu_share() {
    local before after cli=$3 hz
    read -r -a before <<<"$1"
    read -r -a after <<<"$2"
    hz=$(getconf CLK_TCK)
    awk -v m=$((after[0] - before[0])) -v d=$((after[1] - before[1])) -v c="$cli" -v hz="$hz" 'BEGIN {
        printf "CPU: machine %.2f s; MicroCloud %.2f s (%.1f%%: daemons and workers %.2f s, CLIs %.2f s); the rest %.2f s\n",
            m / hz, (d + c) / hz, (m > 0 ? 100 * (d + c) / m : 0), d / hz, c / hz, (m - d - c) / hz }'
}

# preseed_all FILE N: `microcloud preseed` with FILE on m1..mN at once (m1's JSON answer, with its
# timed steps, in $tmp/m1.json); prints the milliseconds until every one returned, or fails with
# m1's error. The CPU ticks the CLIs used (with the lab's exec that started them) go to $tmp/cli.ticks.
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
    # This runs in its own subshell ($(...)): its waited children are exactly the CLIs. (Not
    # `times | ...`: the left side of a pipe is a subshell of its own, with no children.)
    times >"$tmp/times"
    awk -v hz="$(getconf CLK_TCK)" 'NR == 2 {
        split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%d\n", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * hz }' \
        "$tmp/times" >"$tmp/cli.ticks"
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
