# bench/lab_bench.sh - the common start of the lab benchmarks (sourced): BUILD_DIR and SIZES from
# the arguments, root required, one lab named after the benchmark and a scratch directory, both
# removed at exit.
#   lab_bench_setup NAME DEFAULT-SIZES "$@"
# defines: repo, build, sizes (array), tmp, lab ARGS (scripts/lab on this benchmark's lab), now_ms.

lab_bench_setup() {
    local name=$1 default_sizes=$2
    shift 2
    repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    build=$(cd "${1:-$repo/build}" && pwd)
    shift || true
    read -r -a sizes <<<"${*:-$default_sizes}"
    [ "$(id -u)" = 0 ] || { echo "$name: needs root (network namespaces)" >&2; exit 1; }
    export MICROCLOUD_LAB_ROOT=${MICROCLOUD_LAB_ROOT:-/tmp/microcloud-bench}
    LAB_BENCH_NAME=${name//_/}$$
    tmp=$(mktemp -d "/tmp/$name.XXXXXX")
    trap 'lab down >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
}

lab() { "$repo/scripts/lab" --name "$LAB_BENCH_NAME" "$@"; }
now_ms() { date +%s%3N; }
