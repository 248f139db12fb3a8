# scripts/lab.d/down.sh - `scripts/lab down`: removes everything a lab made, from its record (written
# before each resource was created) and by the lab's naming scheme, so it also works after a crash
# or a half-finished `up`. Idempotent: a second run finds nothing and succeeds.

# lab_namespaces: every namespace of this lab: recorded ones and any whose name follows the scheme.
lab_namespaces() {
    {
        record_lines netns
        ip netns list 2>/dev/null | awk '{ print $1 }' |
            grep -E "^$LAB_NAME-(m[0-9]+|sw|gw)\$" || true
    } | sort -u
}

# lab_pids: recorded pids still belonging to the lab, and every process inside the lab's namespaces.
lab_pids() {
    local pid ns
    {
        while read -r pid _; do
            if pid_is_lab "$pid"; then echo "$pid"; fi
        done < <(record_lines pid)
        for ns in $(lab_namespaces); do
            if [ -e "/run/netns/$ns" ]; then ip netns pids "$ns" 2>/dev/null || true; fi
        done
    } | sort -un
}

# with_descendants PID...: the pids and all their descendants (an instance's init runs in network
# and pid namespaces of its own, below LXD's [lxc monitor]: only its ancestry ties it to the lab).
with_descendants() {
    ps -e -o pid=,ppid= | awk -v roots="$*" '
        BEGIN { n = split(roots, r, " "); for (i = 1; i <= n; i++) keep[r[i]] = 1 }
        { parent[$1] = $2 }
        END {
            do {
                added = 0
                for (p in parent) if (!(p in keep) && (parent[p] in keep)) { keep[p] = 1; added = 1 }
            } while (added)
            for (p in keep) print p
        }' | sort -un
}

# start_time PID: the process's start time (field 22 of /proc/PID/stat), which tells a process
# from a later one that reuses its pid.
start_time() {
    local stat fields
    read -r stat 2>/dev/null <"/proc/$1/stat" || return 0
    read -ra fields <<<"${stat##*) }"
    echo "${fields[19]}"
}

# not_me PID...: the pids without this script and its ancestors (`down` may run inside a member).
not_me() {
    local pid self=" " p=$$
    local stat fields
    while [ -n "$p" ] && [ "$p" != 0 ]; do
        self+="$p "
        stat='' fields=()
        read -r stat 2>/dev/null <"/proc/$p/stat" || true
        read -ra fields <<<"${stat##*) }"
        p=${fields[1]:-}
    done
    for pid in "$@"; do [[ $self == *" $pid "* ]] || echo "$pid"; done
}

# stop_lab_processes: SIGTERM to the lab's processes; once they are gone (or after 15 s), SIGKILL to
# whatever is left of them and their descendants (instances ignore SIGTERM sent from outside).
stop_lab_processes() {
    local pids pid snapshot=() final daemons="" all cgroups
    while read -r pid _; do
        if pid_is_lab "$pid"; then daemons+=" $pid"; fi
    done < <(record_lines pid)
    # shellcheck disable=SC2046
    pids=$(not_me $(lab_pids))
    [ -n "$pids" ] || return 0
    local others=0
    for pid in $pids; do [[ " $daemons " == *" $pid "* ]] || others=$((others + 1)); done
    ((others == 0)) || note "stopping $others process(es) in the lab's namespaces that the lab did not start itself (e.g. OVN or Ceph daemons a plugin started, LXD's helpers), besides its own daemons"
    # shellcheck disable=SC2046,SC2086
    all=$(not_me $(with_descendants $pids))
    for pid in $all; do
        if pid_alive "$pid"; then snapshot+=("$pid:$(start_time "$pid")"); fi
    done
    # shellcheck disable=SC2086
    cgroups=$(lxc_cgroups_of $all)
    # shellcheck disable=SC2086
    kill -TERM $pids 2>/dev/null || true
    # The lab's own daemons get 15 s; other processes (e.g. LXD's [lxc monitor], which waits for
    # an instance that ignores SIGTERM) 2 s more.
    # shellcheck disable=SC2086
    wait_gone 15 $daemons || note "a daemon of the lab did not stop within 15 s of SIGTERM"
    # shellcheck disable=SC2086
    wait_gone 2 $pids || true
    final=$(
        for pid in "${snapshot[@]}"; do
            if [ "$(start_time "${pid%%:*}")" = "${pid#*:}" ]; then echo "${pid%%:*}"; fi
        done
        # shellcheck disable=SC2046
        with_descendants $(lab_pids)
    )
    # shellcheck disable=SC2046
    final=$(not_me $(echo "$final" | sort -un))
    if [ -n "$final" ]; then
        # shellcheck disable=SC2086
        kill -KILL $final 2>/dev/null || true
        # shellcheck disable=SC2086
        wait_gone 10 $final || note "warning: still running after SIGKILL: $(for p in $final; do pid_alive "$p" && echo -n "$p "; done)"
    fi
    # LXC's lxc.pivot (where a monitor moves to remove its own cgroup) goes too once empty.
    remove_cgroups "$cgroups${cgroups:+$'\n'/lxc.pivot}"
}

# lxc_cgroups_of PID...: the cgroups (paths below a hierarchy's root) that LXC made for the
# processes (lxc.payload.NAME, lxc.monitor.NAME): a member's LXD puts its instances in the
# machine's cgroup tree, and LXC killed with its instance may leave them behind.
lxc_cgroups_of() {
    local pid
    for pid in "$@"; do
        sed -nE 's|^[0-9]+:[^:]*:(.*/lxc\.(payload\|monitor)\.[^/]+).*$|\1|p' "/proc/$pid/cgroup" 2>/dev/null || true
    done | sort -u
}

# remove_cgroups PATHS: removes the cgroups (one path a line, e.g. /lxc.payload.c1) with their
# children in every cgroup hierarchy mounted here, deepest first; rmdir leaves any still in use.
remove_cgroups() {
    local path mnt mounts
    [ -n "$1" ] || return 0
    mounts=$(awk '$3 == "cgroup" || $3 == "cgroup2" { print $2 }' /proc/self/mounts)
    while read -r path; do
        while read -r mnt; do
            if [ -d "$mnt$path" ]; then find "$mnt$path" -depth -type d -exec rmdir {} + 2>/dev/null || true; fi
        done <<<"$mounts"
    done <<<"$1"
}

# empty_namespace NS: ends every process still inside namespace NS (one that something started
# during the stop, e.g. a plugin's daemon restarted by its --monitor parent): SIGTERM, up to 3 s,
# then SIGKILL, up to 5 s more; says how many. Run right before the namespace is deleted.
empty_namespace() {
    local ns=$1 pids found start elapsed
    pids=$(ip netns pids "$ns" 2>/dev/null) || true
    [ -n "$pids" ] || return 0
    # shellcheck disable=SC2086
    pids=$(not_me $pids)
    [ -n "$pids" ] || return 0
    found=$(wc -w <<<"$pids")
    start=$(now_ms)
    # shellcheck disable=SC2086
    kill -TERM $pids 2>/dev/null || true
    while :; do
        sleep 0.1
        # shellcheck disable=SC2046
        pids=$(not_me $(ip netns pids "$ns" 2>/dev/null))
        elapsed=$(($(now_ms) - start))
        if [ -z "$pids" ] || ((elapsed >= 8000)); then break; fi
        # SIGKILL after 3 s, again every round for what a parent may have forked meanwhile.
        # shellcheck disable=SC2086
        if ((elapsed >= 3000)); then kill -KILL $pids 2>/dev/null || true; fi
    done
    if [ -n "$pids" ]; then
        note "warning: $ns: $(wc -w <<<"$pids") of $found processes left in it still run 8 s after SIGTERM and SIGKILL: ${pids//$'\n'/ }"
    else
        note "$ns: stopped $found process(es) still left in it"
    fi
}

# unmount_below DIR: anything mounted at or below DIR in this mount namespace, deepest first.
unmount_below() {
    local mnt
    awk -v d="$1/" 'index($2 "/", d) == 1 { print $2 }' /proc/self/mounts | sort -r |
        while read -r mnt; do umount -l "$mnt" 2>/dev/null || note "warning: could not unmount $mnt"; done
}

# detach_lab_loops: every loop device backed by a disk file of the lab: recorded, found on disk,
# or listed by losetup with a backing file below the lab dir (also one already deleted).
detach_lab_loops() {
    local file dev
    {
        record_lines loopfile
        if [ -d "$LAB_DIR" ]; then find "$LAB_DIR" -name 'disk*.img' -type f 2>/dev/null || true; fi
    } | sort -u | while read -r file; do
        if [ -n "$file" ]; then detach_loops_of "$file"; fi
    done
    for dev in $(losetup -nO NAME,BACK-FILE 2>/dev/null | awk -v d="$LAB_DIR/" 'index($2, d) == 1 { print $1 }'); do
        losetup -d "$dev" 2>/dev/null || note "warning: could not detach $dev (backed by a file below $LAB_DIR)"
    done
}

# remove_etc_files: /etc/netns/<ns> dirs of the lab, and /etc/netns itself once empty if a lab made it.
remove_etc_files() {
    local dir
    {
        record_lines etcdir
        for dir in /etc/netns/"$LAB_NAME"-*; do if [ -d "$dir" ]; then echo "$dir"; fi; done
    } | sort -u | while read -r dir; do
        case "$dir" in /etc/netns/"$LAB_NAME"-*) rm -rf "$dir" ;; esac
    done
    if [ -f "$LAB_ROOT/.etc-netns-made-by-lab" ] && [ -d /etc/netns ] &&
        [ -z "$(ls -A /etc/netns)" ]; then
        if rmdir /etc/netns 2>/dev/null; then rm -f "$LAB_ROOT/.etc-netns-made-by-lab"; fi
    fi
}

lab_down() {
    set_lab_paths
    local started ns
    started=$(now_ms)
    if [ ! -d "$LAB_DIR" ] && [ -z "$(lab_namespaces)" ] && ! compgen -G "/etc/netns/$LAB_NAME-*" >/dev/null &&
        ! losetup -nO BACK-FILE 2>/dev/null | grep -qF "$LAB_DIR/"; then
        note "nothing to remove for lab '$LAB_NAME'"
        return 0
    fi
    # shellcheck disable=SC1090
    [ -f "$LAB_ENV" ] && source "$LAB_ENV"
    stop_lab_processes
    # The members' mount namespaces (files below LAB_DIR/ns) go now: a loop device mounted inside
    # one stays busy until its namespace is gone.
    if [ -d "$LAB_DIR" ]; then unmount_below "$LAB_DIR"; fi
    detach_lab_loops
    for ns in $(lab_namespaces); do
        [ -e "/run/netns/$ns" ] || continue
        empty_namespace "$ns"
        ip netns del "$ns" 2>/dev/null || note "warning: could not delete network namespace $ns"
    done
    remove_etc_files
    if [ -d "$LAB_DIR" ]; then
        unmount_below "$LAB_DIR"
        rm -rf "$LAB_DIR"
    fi
    detach_lab_loops  # again: a loop attached by an `up` killed a moment ago
    rmdir "$LAB_ROOT" 2>/dev/null || true
    [ ! -e "$LAB_DIR" ] || die "could not remove $LAB_DIR"
    note "lab '$LAB_NAME' removed in $(($(now_ms) - started)) ms"
}
