# scripts/lab.d/components.sh - with `up --components`, each member's own LXD and Open vSwitch,
# started the way an installed machine runs them, but with per-member directories, and the rest of
# what a real OVN machine has: the netdev OVS bridges br-underlay (eth1 + the underlay address) and
# br-uplink (uplink0, no address), TX checksum offload off where TCP through the userspace datapath
# needs it, and an LXC hook that does that for containers. OVN itself is the OVN plugin's to start.
# LXD is never initialised here (no `lxd init`: it probes for free subnets); networks get explicit
# addresses from whoever configures LXD.

component_pid_file() { echo "$(member_dir "$1")/$2.pid"; }
component_log() { echo "$(member_dir "$1")/logs/$2.log"; }

# check_component_programs: what --components needs, with the Debian packages that provide it.
check_component_programs() {
    local prog missing=()
    for prog in lxd lxc ovsdb-server ovs-vswitchd ovs-vsctl ovsdb-tool ethtool; do
        command -v "$prog" >/dev/null || missing+=("$prog")
    done
    ((${#missing[@]} == 0)) ||
        die "--components needs ${missing[*]}; install the Debian packages lxd, lxd-client, openvswitch-switch, ethtool (and nftables iptables dnsmasq-base); scripts/install-deps does"
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

# tx_off NS IF...: TX checksum offload off on interfaces inside namespace NS. A veth with offload
# on hands packets over with partial checksums, which the userspace datapath forwards unfixed:
# ICMP passes, TCP is dropped by the receiver.
tx_off() {
    local ns=$1 ifname
    shift
    for ifname in "$@"; do
        ip netns exec "$ns" ethtool -K "$ifname" tx off >/dev/null ||
            die "could not turn TX checksum offload off on $ifname in namespace $ns (ethtool -K $ifname tx off)"
    done
}

# make_ovs_bridges M: M's netdev bridges: br-underlay with port eth1, the underlay address moved
# from eth1 to it (userspace geneve routes tunnels only through a bridge holding the physical
# port), and br-uplink with port uplink0, without address; both up; TX offload off on the ports,
# which answer no ARP themselves.
make_ovs_bridges() {
    local m=$1 ns address
    ns=$(member_ns "$m")
    address=$(member_underlay_address "$m")/24
    # Without --no-wait ovs-vsctl returns once ovs-vswitchd made the bridges' own (tap) interfaces.
    in_member "$m" ovs-vsctl --timeout=30 \
        -- --may-exist add-br "$LAB_UNDERLAY_BRIDGE" -- set Bridge "$LAB_UNDERLAY_BRIDGE" datapath_type=netdev \
        -- --may-exist add-port "$LAB_UNDERLAY_BRIDGE" "$LAB_UNDERLAY_IF" \
        -- --may-exist add-br "$LAB_UPLINK_BRIDGE" -- set Bridge "$LAB_UPLINK_BRIDGE" datapath_type=netdev \
        -- --may-exist add-port "$LAB_UPLINK_BRIDGE" "$LAB_UPLINK_IF" ||
        die "could not create the OVS bridges $LAB_UNDERLAY_BRIDGE and $LAB_UPLINK_BRIDGE of $m; see $(member_dir "$m")/ovs/log/ovs-vswitchd.log"
    tx_off "$ns" "$LAB_UNDERLAY_IF" "$LAB_UPLINK_IF"
    # The kernel still sees what arrives on a port of a userspace bridge: without arp_ignore it
    # would answer ARP for the underlay address on eth1 with eth1's MAC, beside br-underlay.
    ip netns exec "$ns" sysctl -qw "net.ipv4.conf.$LAB_UNDERLAY_IF.arp_ignore=1" \
        "net.ipv4.conf.$LAB_UPLINK_IF.arp_ignore=1" ||
        die "could not set arp_ignore on $LAB_UNDERLAY_IF and $LAB_UPLINK_IF of $m (sysctl in namespace $ns)"
    ip_batch "$ns" "the OVS bridges' addresses of member $m" <<EOF
addr del $address dev $LAB_UNDERLAY_IF
addr add $address dev $LAB_UNDERLAY_BRIDGE
link set $LAB_UNDERLAY_BRIDGE up
link set $LAB_UPLINK_BRIDGE up
EOF
}

# prepare_gateway_for_ovn: TX offload off on the gateway's uplink side, whose TCP (to addresses
# behind an OVN router) must carry full checksums into the members' userspace datapath.
prepare_gateway_for_ovn() {
    tx_off "$LAB_GATEWAY_NS" uplink0
}

# write_tx_off_hook: LAB_DIR/lxc-tx-off.sh, an LXC start-host hook turning TX checksum offload
# off on every interface of a starting container (LXD's veths into the userspace datapath).
write_tx_off_hook() {
    local ethtool nsenter ip
    ethtool=$(command -v ethtool) nsenter=$(command -v nsenter) ip=$(command -v ip)
    cat >"$LAB_TX_OFF_HOOK" <<EOF
#!/bin/sh
# lxc-tx-off.sh - LXC start-host hook of lab '$LAB_NAME' (written by scripts/lab up --components):
# turns TX checksum offload off on every interface (but lo) of the container being started, whose
# veth leads into a member's userspace (netdev) Open vSwitch datapath, where TCP with partial
# checksums would be dropped. LXC runs it with LXC_PID, the container's init. A test sets it with:
#   lxc profile set default raw.lxc "lxc.hook.start-host = $LAB_TX_OFF_HOOK"
# It never fails the start: it exits 0 whatever ethtool says.
[ -n "\${LXC_PID:-}" ] || exit 0
for n in \$($nsenter -t "\$LXC_PID" -n $ip -o link show | awk -F': ' '{ print \$2 }' | cut -d@ -f1); do
    [ "\$n" = lo ] || $nsenter -t "\$LXC_PID" -n $ethtool -K "\$n" tx off >/dev/null 2>&1
done
exit 0
EOF
    chmod 755 "$LAB_TX_OFF_HOOK"
}
