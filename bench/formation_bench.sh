#!/usr/bin/env bash
# bench/formation_bench.sh - host-only formation by preseed in a lab: time from the first
# `microcloud preseed` to every member ONLINE, for 10 and 50 members, with the joiners all at once
# (this project) and one at a time (upstream's order), measured in the same run; prints the times,
# the ratios, how the time grows from 10 to 50, the CPU the whole machine used during each formation
# (and so the highest ratio its cores allow), the phases of the largest parallel formation and
# the idle RSS and threads of a voter's and a spare's microcloudd at each size, and how long
# `microcloud status` (every member's plugins asked) takes on the formed cloud against
# `microcloud cluster list` (membership only).
# Usage: bench/formation_bench.sh [BUILD_DIR] [SIZES...]   (default: build, sizes 10 50)
set -euo pipefail
source "$(dirname "$0")/lab_bench.sh"
lab_bench_setup formation_bench "10 50" "$@"

# idle_memory N: after 5 s without work, the RSS and threads of the microcloudd of one voter and
# one spare (when there is one) of the N-member lab, into $tmp/idle-N.
idle_memory() {
  local n=$1 list status role name i pid
  sleep 5
  list=$(lab exec m1 -- microcloud cluster list --format json)
  status=$(lab status --format json)
  for role in voter spare; do
    name=$(jq -r --arg r "$role" '[.[] | select(.role == $r) | .name] | last // empty' <<<"$list")
    [ -n "$name" ] || continue
    i=${name#m}
    pid=$(jq -r ".members[$((i - 1))].microcloudd_pid" <<<"$status")
    awk -v n="$n" -v r="$role" -v m="$name" '/^VmRSS:/ { rss = $2 } /^Threads:/ { t = $2 }
      END { printf "%-8s %-8s %-8s %10.1f %8d\n", n, r, m, rss / 1024, t }' "/proc/$pid/status"
  done >"$tmp/idle-$n"
}

# status_times N: the median (p50) of 5 calls on m1 of `microcloud cluster list` and of
# `microcloud status` on the formed N-member lab, into $tmp/status-N.
status_times() {
  local n=$1 command i start line=""
  for command in "cluster list" status; do
    : >"$tmp/times"
    for i in 1 2 3 4 5; do
      start=$(now_ms)
      # shellcheck disable=SC2086 # the command's words
      lab exec m1 -- microcloud $command --format json >/dev/null || { echo "microcloud $command failed" >&2; exit 1; }
      echo $(($(now_ms) - start)) >>"$tmp/times"
    done
    line+=" $(sort -n "$tmp/times" | sed -n 3p)"
  done
  echo "$n$line" >"$tmp/status-$n"
}

# form N MODE: prints the milliseconds from the first preseed to all N members ONLINE.
form() {
  local n=$1 mode=$2 file=$tmp/preseed.yaml start i pids=() mark busy
  lab down >/dev/null 2>&1 || true
  lab up --members "$n" --disks 0 --build-dir "$build" --disable-plugin fan >/dev/null
  { echo "initiator: m1"; echo "lookup_subnet: $(lab status --format json | jq -r .subnet)"
    echo "lookup_timeout: 10m"; echo "session_passphrase: a b c d"; echo "session_timeout: 30m"; echo "systems:"
    for i in $(seq 1 "$n"); do echo "- name: m$i"; done; } >"$file"
  read -r mark _ <<<"$(cpu_mark "")"
  start=$(now_ms)
  lab exec m1 -- microcloud preseed --format json <"$file" >"$tmp/m1.json" 2>"$tmp/m1.out" &
  pids+=($!)
  for i in $(seq 2 "$n"); do
    if [ "$mode" = parallel ]; then
      lab exec "m$i" -- microcloud preseed <"$file" >/dev/null 2>&1 &
      pids+=($!)
    else
      lab exec "m$i" -- microcloud preseed <"$file" >/dev/null 2>&1 || { echo "m$i failed to join" >&2; exit 1; }
    fi
  done
  for pid in "${pids[@]}"; do wait "$pid" || { cat "$tmp/m1.out" >&2; exit 1; }; done
  until lab exec m1 -- microcloud cluster list --format json |
    jq -e "length == $n and all(.status == \"ONLINE\")" >/dev/null; do sleep 0.1; done
  echo $(($(now_ms) - start))
  read -r busy _ <<<"$(cpu_mark "")"
  echo $((busy - mark)) >"$tmp/cpu-$n.$mode"
  keep_phases "$n members, joins $mode"
  if [ "$mode" = parallel ]; then idle_memory "$n"; status_times "$n"; fi
  return 0
}

declare -A took
for n in "${sizes[@]}"; do
  for mode in parallel serial; do
    took[$n.$mode]=$(form "$n" "$mode")
    echo "formation of $n members, joins $mode: ${took[$n.$mode]} ms" >&2
  done
done
lab down >/dev/null
printf '%-10s %14s %14s %10s\n' members "parallel ms" "one-by-one ms" ratio
for n in "${sizes[@]}"; do
  printf '%-10s %14s %14s %10s\n' "$n" "${took[$n.parallel]}" "${took[$n.serial]}" \
    "$(awk -v p="${took[$n.parallel]}" -v s="${took[$n.serial]}" 'BEGIN { printf "%.2fx", s / p }')"
done
if [ "${#sizes[@]}" -ge 2 ]; then
  a=${sizes[0]} b=${sizes[-1]}
  awk -v a="$a" -v b="$b" -v pa="${took[$a.parallel]}" -v pb="${took[$b.parallel]}" \
      -v sa="${took[$a.serial]}" -v sb="${took[$b.serial]}" 'BEGIN {
    printf "from %d to %d members (%.1fx the members): parallel took %.2fx as long, one-by-one %.2fx\n",
      a, b, b / a, pb / pa, sb / sa }'
fi
echo
# What the machine's cores allow: were the joins all at once to need no more CPU than one at a time,
# they could not take less than the one-at-a-time run's CPU spread over every core. Its wall time
# over that is the highest ratio this machine can show.
cores=$(nproc)
echo "CPU of the whole machine during each formation ($cores cores; busy = CPU s / wall s):"
printf '%-10s %16s %10s %16s %10s %12s\n' members "parallel CPU s" busy "one-by-one CPU s" busy "ratio bound"
hz=$(getconf CLK_TCK)
for n in "${sizes[@]}"; do
  awk -v n="$n" -v pc="$(cat "$tmp/cpu-$n.parallel")" -v sc="$(cat "$tmp/cpu-$n.serial")" -v hz="$hz" \
      -v pw="${took[$n.parallel]}" -v sw="${took[$n.serial]}" -v cores="$cores" 'BEGIN {
    printf "%-10s %16.2f %10.2f %16.2f %10.2f %11.2fx\n", n, pc / hz, pc / hz / (pw / 1000),
      sc / hz, sc / hz / (sw / 1000), (sw / 1000) / (sc / hz / cores) }'
done
echo
phase_table "${sizes[-1]} members, joins parallel"
echo
echo "Idle microcloudd after the formation (joins parallel; fan left out, no component daemons):"
printf '%-8s %-8s %-8s %10s %8s\n' members role member "RSS MiB" threads
for n in "${sizes[@]}"; do cat "$tmp/idle-$n"; done
echo
echo "microcloud status on the formed cloud (p50 of 5 on m1; fan left out, no component daemons):"
printf '%-8s %18s %12s %10s\n' members "cluster list ms" "status ms" ratio
for n in "${sizes[@]}"; do
  read -r _ list st <"$tmp/status-$n"
  printf '%-8s %18s %12s %10s\n' "$n" "$list" "$st" "$(awk -v a="$list" -v b="$st" 'BEGIN { printf "%.2fx", b / a }')"
done
