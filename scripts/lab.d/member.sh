# scripts/lab.d/member.sh - what makes a member a machine of its own: its directories, its
# environment (state dir, LXD, OVS/OVN, Ceph paths, the binaries on PATH), its microcloudd config
# file, and running a command inside it (network namespace + its own hostname).

# member_env M: prints NAME=VALUE lines, the environment every process of member M runs with.
member_env() {
    local m=$1 dir
    dir=$(member_dir "$m")
    cat <<EOF
MICROCLOUD_LAB=$LAB_NAME
MICROCLOUD_LAB_ROOT=$LAB_ROOT
MICROCLOUD_LAB_MEMBER=$m
MICROCLOUD_STATE_DIR=$dir/microcloud
LXD_DIR=$dir/lxd
LXD_CONF=$dir/lxc-client
OVS_RUNDIR=$dir/ovs/run
OVS_LOGDIR=$dir/ovs/log
OVS_DBDIR=$dir/ovs/db
OVS_SYSCONFDIR=$dir/ovs/etc
OVN_RUNDIR=$dir/ovn/run
OVN_LOGDIR=$dir/ovn/log
OVN_DBDIR=$dir/ovn/db
CEPH_CONF=$dir/ceph/etc/ceph.conf
PATH=$LAB_BIN_DIR:$PATH
EOF
}

# make_member_dirs M: the directory tree of member M (all below the lab dir, removed by down).
make_member_dirs() {
    local dir
    dir=$(member_dir "$1")
    mkdir -p "$dir/microcloud" "$dir/lxd" "$dir/lxc-client" "$dir/disks" \
        "$dir/ovs/run" "$dir/ovs/log" "$dir/ovs/db" "$dir/ovs/etc" \
        "$dir/ovn/run" "$dir/ovn/log" "$dir/ovn/db" "$dir/ceph/etc" "$dir/ceph/data" "$dir/logs"
    chmod 700 "$dir/microcloud"
    # A known client config keeps `lxc` from asking questions on first use.
    echo "default-remote: local" >"$dir/lxc-client/config.yml"
}

# write_member_config M: microcloudd's config file for M, pointing every plugin at M's own paths
# (never at the host's defaults, which belong to no member).
write_member_config() {
    local dir
    dir=$(member_dir "$1")
    cat >"$dir/microcloudd.yaml" <<EOF
# microcloudd config for lab '$LAB_NAME' member $1, written by scripts/lab: every plugin uses
# this member's own component paths.
plugins:
  lxd: {socket: $dir/lxd/unix.socket}
  ovn: {ovs_rundir: $dir/ovs/run, ovn_rundir: $dir/ovn/run}
  ceph: {conf_dir: $dir/ceph/etc, data_dir: $dir/ceph/data}
EOF
}

# in_member M CMD...: runs CMD inside member M (its network namespace, its UTS namespace whose
# hostname is M) with M's environment. Replaces nothing: returns CMD's exit status.
in_member() {
    local m=$1
    shift
    local -a envs
    mapfile -t envs < <(member_env "$m")
    ip netns exec "$(member_ns "$m")" nsenter --uts="$(member_uts_file "$m")" -- env "${envs[@]}" "$@"
}

# start_in_member M LOG CMD...: starts CMD as a daemon of member M in a session of its own, output
# appended to LOG, stdin from /dev/null. Prints its pid, which is the pid of CMD itself: setsid (not
# a group leader here), ip netns exec, nsenter and env all exec in place.
start_in_member() {
    local m=$1 log=$2
    shift 2
    local -a envs
    mapfile -t envs < <(member_env "$m")
    setsid ip netns exec "$(member_ns "$m")" nsenter --uts="$(member_uts_file "$m")" -- \
        env "${envs[@]}" "$@" >>"$log" 2>&1 </dev/null &
    echo $!
}
