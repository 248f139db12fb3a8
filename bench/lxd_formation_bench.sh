#!/usr/bin/env bash
# bench/lxd_formation_bench.sh - formation with the real LXD in a lab: the same preseed on every
# member, timed from the first `microcloud preseed` until it returns with LXD clustered on every
# member, with the LXD joins all at once (this project's default) and one at a time (upstream's
# order; microcloudd config `join-concurrency: 1`), measured in the same run. Prints the whole
# formation and the LXD part alone (bootstrap on m1 to "configured") and their ratios.
# Usage: bench/lxd_formation_bench.sh [BUILD_DIR] [SIZES...]   (default: build, sizes 3 5)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$repo/build}" && pwd)
shift || true
sizes=("${@:-3 5}")
read -r -a sizes <<<"${sizes[*]}"
[ "$(id -u)" = 0 ] || { echo "lxd_formation_bench: needs root (network namespaces)" >&2; exit 1; }
export MICROCLOUD_LAB_ROOT=${MICROCLOUD_LAB_ROOT:-/tmp/microcloud-bench}
lab=lbench$$
tmp=$(mktemp -d /tmp/lxd-bench.XXXXXX)
lab() { "$repo/scripts/lab" --name "$lab" "$@"; }
trap 'lab down >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
now_ms() { date +%s%3N; }

# form N CONCURRENCY: prints "TOTAL_MS LXD_MS" for one formation of N members.
form() {
  local n=$1 concurrency=$2 file=$tmp/preseed.yaml start i pids=() total lxd
  lab down >/dev/null 2>&1 || true
  lab up --members "$n" --disks 0 --components --build-dir "$build" >/dev/null
  if [ "$concurrency" != 0 ]; then
    for i in $(seq 1 "$n"); do
      echo "join-concurrency: $concurrency" >>"$(lab status --format json | jq -r ".members[$((i - 1))].config")"
      lab stop "m$i" >/dev/null && lab start "m$i" >/dev/null
    done
  fi
  { echo "initiator: m1"; echo "lookup_subnet: $(lab status --format json | jq -r .subnet)"
    echo "session_passphrase: a b c d"; echo "session_timeout: 10m"; echo "systems:"
    for i in $(seq 1 "$n"); do echo "- name: m$i"; done; } >"$file"
  start=$(now_ms)
  lab exec m1 -- microcloud preseed --format json <"$file" >"$tmp/m1.json" 2>"$tmp/m1.err" &
  pids+=($!)
  for i in $(seq 2 "$n"); do
    lab exec "m$i" -- microcloud preseed <"$file" >/dev/null 2>&1 &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i" || { cat "$tmp/m1.err" >&2; exit 1; }; done
  total=$(($(now_ms) - start))
  [ "$(lab exec m1 -- lxc cluster list -f json | jq '[.[] | select(.status == "Online")] | length')" = "$n" ] ||
    { echo "LXD does not list $n online members" >&2; exit 1; }
  lxd=$(jq '[.steps[] | select(.step | test("^Bootstrapping lxd|^Plugin lxd configured")) | .ms] |
            if length == 2 then .[1] - .[0] else error("no lxd steps") end' "$tmp/m1.json")
  echo "$total $lxd"
}

declare -A total lxd
for n in "${sizes[@]}"; do
  for c in 0 1; do
    read -r total[$n.$c] lxd[$n.$c] < <(form "$n" "$c")
    echo "$n members, join-concurrency $c: formation ${total[$n.$c]} ms, LXD part ${lxd[$n.$c]} ms" >&2
  done
done
ratio() { awk -v p="$1" -v s="$2" 'BEGIN { printf "%.2fx", s / p }'; }
printf '%-8s %18s %18s %7s %16s %16s %7s\n' members "formation all ms" "one-by-one ms" ratio \
  "LXD all ms" "LXD one-by-one" ratio
for n in "${sizes[@]}"; do
  printf '%-8s %18s %18s %7s %16s %16s %7s\n' "$n" "${total[$n.0]}" "${total[$n.1]}" \
    "$(ratio "${total[$n.0]}" "${total[$n.1]}")" "${lxd[$n.0]}" "${lxd[$n.1]}" "$(ratio "${lxd[$n.0]}" "${lxd[$n.1]}")"
done
