# scripts/lab.d/components.sh - with `up --components`, each member's own LXD and Open vSwitch,
# started the way an installed machine runs them, but with per-member directories. LXD is never
# initialised here (no `lxd init`: it probes for free subnets); networks get explicit addresses
# from whoever configures LXD.

component_pid_file() { echo "$(member_dir "$1")/$2.pid"; }
component_log() { echo "$(member_dir "$1")/logs/$2.log"; }

# check_component_programs: what --components needs, with the Debian packages that provide it.
check_component_programs() {
    local prog missing=()
    for prog in lxd lxc ovsdb-server ovs-vswitchd ovs-vsctl ovsdb-tool; do
        command -v "$prog" >/dev/null || missing+=("$prog")
    done
    ((${#missing[@]} == 0)) ||
        die "--components needs ${missing[*]}; install the Debian packages lxd, lxd-client, openvswitch-switch (and nftables iptables dnsmasq-base)"
    [ -f /usr/share/openvswitch/vswitch.ovsschema ] ||
        die "--components needs /usr/share/openvswitch/vswitch.ovsschema (package openvswitch-common)"
}

# start_component M NAME CMD...: a component daemon of M, its pid recorded and kept in <M>/NAME.pid.
start_component() {
    local m=$1 name=$2 pid
    shift 2
    echo "---- $(date -Is) $name starts" >>"$(component_log "$m" "$name")"
    pid=$(start_in_member "$m" "$(component_log "$m" "$name")" "$@")
    record_add pid "$pid" "$name" "$m"
    echo "$pid" >"$(component_pid_file "$m" "$name")"
}

# start_lxd M: LXD with LXD_DIR=<M>/lxd (does not wait; see wait_lxd).
start_lxd() {
    start_component "$1" lxd lxd --group root --logfile "$(member_dir "$1")/logs/lxd-daemon.log"
}

# stop_lxd M [--kill]: stops M's LXD (SIGTERM, or SIGKILL to act out a crash); its socket stays.
stop_lxd() {
    local m=$1 how=${2:-} pid
    pid=$(cat "$(component_pid_file "$m" lxd)" 2>/dev/null) && kill -0 "$pid" 2>/dev/null || {
        note "LXD of $m is not running"
        return 0
    }
    local signal=TERM done=stopped
    [ "$how" = --kill ] && signal=KILL done=killed
    kill -"$signal" "$pid"
    wait_gone 30 "$pid" || die "LXD of $m (pid $pid) is still there 30 s after SIG$signal"
    note "LXD of $m (pid $pid) $done"
}

# wait_lxd M: waits until M's LXD answers.
wait_lxd() {
    local m=$1 seconds=${2:-120}
    in_member "$m" lxd waitready --timeout "$seconds" ||
        die "LXD of $m did not become ready within $seconds s; see $(component_log "$m" lxd) and $(member_dir "$m")/logs/lxd-daemon.log"
}

# ovs_version: the installed Open vSwitch version, e.g. 3.1.0.
ovs_version() { ovs-vswitchd --version | awk 'NR == 1 { print $NF }'; }

# os_release_field NAME: a field of /etc/os-release (empty when absent).
os_release_field() { sed -nE "s/^$1=\"?([^\"]*)\"?\$/\1/p" /etc/os-release 2>/dev/null || true; }

# start_ovs M: ovsdb-server with a fresh Open_vSwitch database, then ovs-vswitchd, all in M's
# OVS_RUNDIR/OVS_LOGDIR/OVS_DBDIR. No kernel datapath here: ovn-controller is told to create
# br-int with the userspace datapath, and every bridge must use datapath_type=netdev.
start_ovs() {
    local m=$1 dir db i
    dir=$(member_dir "$m")/ovs
    db=$dir/db/conf.db
    ovsdb-tool create "$db" /usr/share/openvswitch/vswitch.ovsschema ||
        die "could not create the Open vSwitch database $db (ovsdb-tool create)"
    start_component "$m" ovsdb-server ovsdb-server "$db" \
        --remote="punix:$dir/run/db.sock" --remote=db:Open_vSwitch,Open_vSwitch,manager_options \
        --pidfile="$dir/run/ovsdb-server.pid" --unixctl="$dir/run/ovsdb-server.ctl" \
        --log-file="$dir/log/ovsdb-server.log" -vconsole:err --no-chdir
    for ((i = 0; i < 100; i++)); do
        [ -S "$dir/run/db.sock" ] && break
        sleep 0.1
    done
    # What the distribution's ovs-ctl records at start, plus the member's identity.
    in_member "$m" ovs-vsctl --timeout=20 --no-wait -- init \
        -- set Open_vSwitch . "ovs_version=$(ovs_version)" \
        "db_version=$(ovsdb-tool schema-version /usr/share/openvswitch/vswitch.ovsschema)" \
        "system_type=$(os_release_field ID)" "system_version=$(os_release_field VERSION_ID)" \
        "external_ids:system-id=$m" "external_ids:hostname=$m" \
        "external_ids:ovn-bridge-datapath-type=netdev" ||
        die "could not initialise the Open vSwitch database of $m (ovs-vsctl init on $dir/run/db.sock); see $(component_log "$m" ovsdb-server)"
    start_component "$m" ovs-vswitchd ovs-vswitchd "unix:$dir/run/db.sock" \
        --pidfile="$dir/run/ovs-vswitchd.pid" --unixctl="$dir/run/ovs-vswitchd.ctl" \
        --log-file="$dir/log/ovs-vswitchd.log" -vconsole:err --no-chdir
}

# wait_ovs M: waits until ovs-vswitchd of M has connected to its database.
wait_ovs() {
    local m=$1
    in_member "$m" ovs-vsctl --timeout=30 wait-until Open_vSwitch . "cur_cfg>=0" >/dev/null 2>&1 &&
        in_member "$m" ovs-appctl --timeout=30 -t "$(member_dir "$m")/ovs/run/ovs-vswitchd.ctl" version >/dev/null 2>&1 ||
        die "Open vSwitch of $m did not come up; see $(member_dir "$m")/ovs/log/ovs-vswitchd.log"
}
