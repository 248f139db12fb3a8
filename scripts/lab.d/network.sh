# scripts/lab.d/network.sh - the lab's networks: a switch namespace with three bridges
# (intra-cluster, uplink, underlay; multicast snooping off so multicast floods to every member),
# a gateway namespace on the cluster and uplink networks that leads nowhere, and each member's
# namespace with its veths, addresses, default route, own hostname and /etc/netns files.
# Links are made with one `ip -batch` per namespace: a 50-member lab takes seconds, not minutes.

# make_netns NAME: records, then creates a network namespace.
make_netns() {
    record_add netns "$1"
    ip netns add "$1" || die "could not create network namespace '$1' (ip netns add failed)"
}

# ip_batch NS WHAT: runs the `ip` commands on stdin inside namespace NS.
ip_batch() {
    ip -n "$1" -batch - || die "could not set up $2 (ip -n $1 -batch failed; see the message above)"
}

# veth_lines NS IFNAME PORT BRIDGE: switch-side batch lines for a veth pair, IFNAME inside NS and
# PORT on BRIDGE. Both ends are created directly in their namespaces: nothing appears on the host.
veth_lines() {
    echo "link add $3 type veth peer name $2 netns $1"
    echo "link set $3 master $4 up"
}

# make_switch_and_gateway: the switch namespace with its bridges and the gateway namespace that
# holds the cluster and uplink gateway addresses. The gateway forwards between the lab's networks
# and answers "unreachable" for anything else: it has no link out of the lab.
make_switch_and_gateway() {
    local bridge
    make_netns "$LAB_SWITCH_NS"
    make_netns "$LAB_GATEWAY_NS"
    {
        echo "link set lo up"
        for bridge in br-cluster br-uplink br-underlay; do
            echo "link add $bridge type bridge mcast_snooping 0 stp_state 0 forward_delay 0"
            echo "link set $bridge up"
        done
        veth_lines "$LAB_GATEWAY_NS" cluster0 gw-cluster br-cluster
        veth_lines "$LAB_GATEWAY_NS" uplink0 gw-uplink br-uplink
    } | ip_batch "$LAB_SWITCH_NS" "the switch namespace $LAB_SWITCH_NS"
    ip_batch "$LAB_GATEWAY_NS" "the gateway namespace $LAB_GATEWAY_NS" <<EOF
link set lo up
link set cluster0 up
link set uplink0 up
addr add $(cluster_gateway)/24 dev cluster0
addr add $(uplink_gateway)/24 dev uplink0
route add unreachable default
EOF
    ip netns exec "$LAB_GATEWAY_NS" sysctl -qw net.ipv4.ip_forward=1
}

# make_member_uts M: a persistent UTS namespace for M whose hostname is M (microcloudd names a
# member after its hostname), bound to a file in the member's dir.
make_member_uts() {
    local file
    file=$(member_uts_file "$1")
    record_add uts "$file"
    : >"$file"
    unshare --uts="$file" hostname "$1" || die "could not create the UTS namespace of $1 at $file (unshare --uts)"
}

# write_member_etc M: /etc/netns/<ns>/{hosts,resolv.conf}, which `ip netns exec` shows as /etc/hosts
# and /etc/resolv.conf inside M: every member's name resolves to its cluster address, and DNS asks
# the member's own loopback (nothing answers), so no lookup leaves the member.
write_member_etc() {
    local m=$1 etc other
    etc=$(member_etc_dir "$m")
    if [ ! -d /etc/netns ]; then
        record_add etcnetns /etc/netns
        : >"$LAB_ROOT/.etc-netns-made-by-lab"
        mkdir -p /etc/netns
    fi
    record_add etcdir "$etc"
    mkdir -p "$etc"
    if [ ! -f "$LAB_DIR/hosts" ]; then
        {
            echo "# /etc/hosts of every member of lab '$LAB_NAME' (scripts/lab)"
            echo "127.0.0.1 localhost"
            echo "::1 localhost ip6-localhost ip6-loopback"
            for other in $(all_members); do echo "$(member_address "$other") $other"; done
        } >"$LAB_DIR/hosts"
    fi
    cp "$LAB_DIR/hosts" "$etc/hosts"
    printf '%s\n' "# resolv.conf of lab '$LAB_NAME' member $m (scripts/lab): no DNS inside the lab" \
        "nameserver 127.0.0.1" >"$etc/resolv.conf"
}

# make_member_networks: every member's namespace, its three interfaces (plugged into the switch),
# addresses and default route.
make_member_networks() {
    local m ns
    for m in $(all_members); do make_netns "$(member_ns "$m")"; done
    for m in $(all_members); do
        ns=$(member_ns "$m")
        veth_lines "$ns" "$LAB_CLUSTER_IF" "$m-cl" br-cluster
        veth_lines "$ns" "$LAB_UPLINK_IF" "$m-up" br-uplink
        veth_lines "$ns" "$LAB_UNDERLAY_IF" "$m-ul" br-underlay
    done | ip_batch "$LAB_SWITCH_NS" "the members' switch ports"
    for m in $(all_members); do
        ip_batch "$(member_ns "$m")" "the network of member $m" <<EOF
link set lo up
link set $LAB_CLUSTER_IF up
link set $LAB_UPLINK_IF up
link set $LAB_UNDERLAY_IF up
addr add $(member_address "$m")/24 dev $LAB_CLUSTER_IF
addr add $(member_underlay_address "$m")/24 dev $LAB_UNDERLAY_IF
route add default via $(cluster_gateway) dev $LAB_CLUSTER_IF
EOF
    done
}
