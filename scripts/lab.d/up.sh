# scripts/lab.d/up.sh - `scripts/lab up`: creates a lab of N members (namespaces, networks, disks,
# optional LXD + Open vSwitch with OVN-ready bridges per member, a microcloudd per member) and waits
# until all answer.
# On failure it removes what it made, unless --keep-on-failure.

# pick_lab_index: the lowest index (1..250) no other lab under LAB_ROOT uses (callers hold the lock).
pick_lab_index() {
    local used=" " env i
    for env in "$LAB_ROOT"/*/lab.env; do
        [ -f "$env" ] || continue
        used+="$(sed -nE 's/^declare -[-a-zA-Z]* LAB_INDEX="?([0-9]+)"?$/\1/p' "$env") "
    done
    for ((i = 1; i <= 250; i++)); do
        [[ $used == *" $i "* ]] || {
            echo "$i"
            return 0
        }
    done
    die "all 250 lab indexes are in use under $LAB_ROOT; remove a lab with scripts/lab down --name NAME"
}

# claim_lab: creates the lab dir, its record and lab.env under a lock on LAB_ROOT.
claim_lab() {
    mkdir -p "$LAB_ROOT"
    exec {lock_fd}<"$LAB_ROOT"
    flock "$lock_fd"
    if [ -e "$LAB_DIR" ]; then
        flock -u "$lock_fd"
        die "lab '$LAB_NAME' already exists ($LAB_DIR); remove it first with: scripts/lab down --name $LAB_NAME"
    fi
    LAB_INDEX=$(pick_lab_index)
    mkdir -p "$LAB_DIR"
    echo "# resources of lab '$LAB_NAME', each recorded before it was created (scripts/lab down reads this)" >"$LAB_RECORD"
    save_lab_env
    flock -u "$lock_fd"
    exec {lock_fd}<&-
}

# up_on_exit: after a failed or interrupted up, removes what was made (or says how to).
up_on_exit() {
    local rc=$?
    [ -f "$LAB_DIR/up.done" ] && return
    ((rc == 0)) && rc=1
    trap - EXIT INT TERM
    if ((LAB_KEEP_ON_FAILURE)); then
        note "up failed; the lab is kept for inspection (scripts/lab status --name $LAB_NAME); remove it with: scripts/lab down --name $LAB_NAME"
    else
        note "up failed; removing what it made (rerun with --keep-on-failure to keep the lab and its logs)"
        (lab_down) || note "cleanup failed too; run: scripts/lab down --name $LAB_NAME"
    fi
    exit "$rc"
}

# wait_all FUNCTION: runs FUNCTION M for every member, 8 at a time; fails if any failed (each
# failure has printed its reason).
wait_all() {
    local fn=$1 m failed=0 running=()
    for m in $(all_members); do
        "$fn" "$m" &
        running+=($!)
        if ((${#running[@]} >= 8)); then
            wait "${running[0]}" || failed=1
            running=("${running[@]:1}")
        fi
    done
    for m in "${running[@]}"; do wait "$m" || failed=1; done
    ((failed == 0)) || die "$fn failed for at least one member (see above)"
}

lab_up() {
    local m t0 t
    set_lab_paths
    ((LAB_MEMBERS >= 1 && LAB_MEMBERS <= LAB_MAX_MEMBERS)) ||
        die "--members must be between 1 and $LAB_MAX_MEMBERS, got $LAB_MEMBERS"
    ((LAB_DISKS >= 0 && LAB_DISKS <= 16)) || die "--disks must be between 0 and 16, got $LAB_DISKS"
    check_disk_size "$LAB_DISK_SIZE"
    [ "$(id -u)" = 0 ] || die "the lab needs root (network namespaces, loop devices)"
    local prog
    for prog in ip losetup nsenter unshare setsid jq truncate; do
        command -v "$prog" >/dev/null || die "the lab needs '$prog', which is not installed"
    done
    [ -x "$LAB_BIN_DIR/microcloudd" ] && [ -x "$LAB_BIN_DIR/microcloud" ] ||
        die "no microcloudd and microcloud in $LAB_BIN_DIR; build them (cmake --build BUILD --target microcloudd microcloud) or pass --build-dir DIR / --prefix DIR"
    ((LAB_COMPONENTS == 0)) || check_component_programs

    t0=$(now_ms)
    claim_lab
    trap up_on_exit EXIT
    trap 'exit 130' INT TERM

    note "lab '$LAB_NAME': $LAB_MEMBERS members, $LAB_DISKS disks each, cluster $LAB_CLUSTER_PREFIX.$LAB_INDEX.0/24, binaries from $LAB_BIN_DIR"
    make_switch_and_gateway
    make_member_networks
    for m in $(all_members); do
        make_member_dirs "$m"
        make_member_disks "$m"
        write_member_config "$m" # after the disks: it lists them
        make_member_uts "$m"
        write_member_etc "$m"
    done
    make_lab_ns_dir
    wait_all make_member_mnt
    note "networks and disks ready after $(($(now_ms) - t0)) ms"

    if ((LAB_COMPONENTS)); then
        t=$(now_ms)
        for m in $(all_members); do
            start_ovs "$m"
            start_lxd "$m"
        done
        wait_all wait_ovs
        wait_all make_ovs_bridges
        prepare_gateway_for_ovn
        write_tx_off_hook
        wait_all wait_lxd
        note "LXD and Open vSwitch (bridges $LAB_UNDERLAY_BRIDGE, $LAB_UPLINK_BRIDGE) ready in every member after $(($(now_ms) - t)) ms"
    fi

    t=$(now_ms)
    for m in $(all_members); do start_daemon "$m"; done
    wait_all wait_daemon
    note "microcloudd ready in every member after $(($(now_ms) - t)) ms"

    date -Is >"$LAB_DIR/up.done"
    trap - EXIT INT TERM
    note "lab '$LAB_NAME' is up in $(($(now_ms) - t0)) ms; see: scripts/lab status --name $LAB_NAME"
}
