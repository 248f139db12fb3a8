# scripts/lab.d/member.sh - what makes a member a machine of its own: its directories, its
# environment (state dir, LXD, OVS/OVN, Ceph paths, the binaries on PATH), its microcloudd config
# file, its own mount namespace (its sysfs, the machine's cgroups), and running a command inside it
# (network, mount and UTS namespaces: its own interfaces, /sys, /etc/hosts and hostname).

# member_env_into VAR M: sets array VAR to NAME=VALUE words, the environment every process of member M
# runs with (no subshell: this is on the path of every `exec`).
member_env_into() {
    local -n _me_into=$1
    local dir=$LAB_DIR/$2
    _me_into=(MICROCLOUD_LAB="$LAB_NAME" MICROCLOUD_LAB_ROOT="$LAB_ROOT" MICROCLOUD_LAB_MEMBER="$2"
        MICROCLOUD_STATE_DIR="$dir/microcloud" LXD_DIR="$dir/lxd" LXD_CONF="$dir/lxc-client"
        OVS_RUNDIR="$dir/ovs/run" OVS_LOGDIR="$dir/ovs/log" OVS_DBDIR="$dir/ovs/db" OVS_SYSCONFDIR="$dir/ovs/etc"
        OVN_RUNDIR="$dir/ovn/run" OVN_LOGDIR="$dir/ovn/log" OVN_DBDIR="$dir/ovn/db"
        CEPH_CONF="$dir/ceph/etc/ceph.conf" PATH="$LAB_BIN_DIR:$PATH")
}

# make_member_dirs M: the directory tree of member M (all below the lab dir, removed by down).
make_member_dirs() {
    local dir
    dir=$(member_dir "$1")
    mkdir -p "$dir/microcloud" "$dir/lxd" "$dir/lxc-client" "$dir/disks" \
        "$dir/ovs/run" "$dir/ovs/log" "$dir/ovs/db" "$dir/ovs/etc" \
        "$dir/ovn/run" "$dir/ovn/log" "$dir/ovn/db" "$dir/ovn/etc" "$dir/ceph/etc" "$dir/ceph/data" \
        "$dir/ceph/run" "$dir/ceph/log" "$dir/logs"
    chmod 700 "$dir/microcloud"
    # A known client config keeps `lxc` from asking questions on first use.
    echo "default-remote: local" >"$dir/lxc-client/config.yml"
}

# write_member_config M: microcloudd's config file for M, pointing every plugin at M's own paths
# (never at the host's defaults, which belong to no member), its own disks (the members share one
# kernel, so each sees every member's loop devices; make_member_disks must have run), and the
# plugins it leaves out (LAB_DISABLE_PLUGINS, from up --disable-plugin).
write_member_config() {
    local dir disks
    dir=$(member_dir "$1")
    disks=$(member_disks "$1" | paste -sd, - | sed 's/,/, /g')
    {
        cat <<EOF
# microcloudd config for lab '$LAB_NAME' member $1, written by scripts/lab: every plugin uses
# this member's own component paths.
plugins:
  lxd: {socket: $dir/lxd/unix.socket}
  ovn: {ovs_rundir: $dir/ovs/run, ovn_rundir: $dir/ovn/run}
  ceph: {conf_dir: $dir/ceph/etc, data_dir: $dir/ceph/data, run_dir: $dir/ceph/run, log_dir: $dir/ceph/log,
         service_manager: direct, mon_data_avail_warn: $LAB_CEPH_AVAIL_WARN}
disks: [$disks]
EOF
        if ((${#LAB_DISABLE_PLUGINS[@]})); then
            local list
            printf -v list '%s, ' "${LAB_DISABLE_PLUGINS[@]}"
            echo "disable-plugins: [${list%, }]"
        fi
    } >"$dir/microcloudd.yaml"
}

# make_lab_ns_dir: LAB_DIR/ns, where the members' mount namespaces are kept: a bind mount of itself
# made private, because the kernel keeps a mount namespace in a file only on a mount that does not
# propagate (on a machine whose / is shared, e.g. with systemd). Removed by down (unmount_below).
make_lab_ns_dir() {
    local dir=$LAB_DIR/ns
    record_add mount "$dir"
    mkdir -p "$dir"
    if ! mount --bind "$dir" "$dir" || ! mount --make-private "$dir"; then
        die "could not make $dir a private bind mount (mount --bind, mount --make-private)"
    fi
}

# make_member_mnt M: M's own mount namespace, kept in a file like its UTS namespace and shared by
# every process of M: a copy of the machine's mounts (host mounts still propagate in) where /sys is
# a sysfs of M's network namespace (/sys/class/net lists M's interfaces, as LXD and OVS read them)
# with the machine's cgroup tree re-attached at /sys/fs/cgroup (`ip netns exec` leaves it empty:
# LXD's containers would run without cgroups), and /etc/netns/<ns>/* over /etc/* (as `ip netns
# exec` does: M's hosts and resolv.conf), and M's own directory over /etc/ovn (where LXD 5.0 reads
# the TLS files for OVN's databases).
make_member_mnt() {
    local m=$1 file save
    file=$(member_mnt_file "$m")
    save=$(member_dir "$m")/.cgroup
    record_add mntns "$file"
    : >"$file"
    mkdir -p "$save"
    # shellcheck disable=SC2016 # the script's $1 and $2 are its arguments
    nsenter --net="/run/netns/$(member_ns "$m")" unshare --mount="$file" --propagation slave -- sh -ec '
        if [ -d /sys/fs/cgroup ]; then mount --rbind /sys/fs/cgroup "$1"; fi
        mount -t sysfs sysfs /sys
        if [ -d /sys/fs/cgroup ]; then mount --move "$1" /sys/fs/cgroup; fi
        for f in "$2"/*; do
            if [ -f "$f" ] && [ -e "/etc/${f##*/}" ]; then mount --bind "$f" "/etc/${f##*/}"; fi
        done
        if [ -d /etc/ovn ]; then mount --bind "$3" /etc/ovn; fi' sh "$save" "$(member_etc_dir "$m")" "$(member_dir "$m")/ovn/etc" ||
        die "could not create the mount namespace of $m in $file (unshare --mount, then mounting sysfs on /sys and moving /sys/fs/cgroup; see the message above)"
}

# enter_member M: the command that enters member M: its network, mount and UTS namespaces, in the
# current working directory (when it exists inside M), with M's environment (then CMD follows).
enter_member() {
    local m=$1 wd=/ words ns mnt uts
    [ -d "$PWD" ] && wd=$PWD
    member_ns "$m" ns
    member_mnt_file "$m" mnt
    member_uts_file "$m" uts
    member_env_into words "$m"
    ENTER=(nsenter --net="/run/netns/$ns" --mount="$mnt" --uts="$uts" --wd="$wd" -- env "${words[@]}")
}

# in_member M CMD...: runs CMD inside member M (see enter_member) with M's environment. Replaces
# nothing: returns CMD's exit status.
in_member() {
    local m=$1 ENTER
    shift
    enter_member "$m"
    "${ENTER[@]}" "$@"
}

# start_in_member M LOG CMD...: starts CMD as a daemon of member M in a session of its own, output
# appended to LOG, stdin from /dev/null. Prints its pid, which is the pid of CMD itself: setsid (not
# a group leader here), nsenter (no --pid, so no fork) and env all exec in place.
start_in_member() {
    local m=$1 log=$2 ENTER
    shift 2
    enter_member "$m"
    setsid "${ENTER[@]}" "$@" >>"$log" 2>&1 </dev/null &
    echo $!
}
