# scripts/lab.d/status.sh - `scripts/lab status`: the lab's networks and each member (namespace,
# addresses, interfaces and OVS bridges, disks, state dir, daemons), the LXC hook and the disabled
# plugins, as JSON or as a table.

# component_pid M NAME: the pid of a component daemon of M, empty unless it runs.
component_pid() {
    local pid
    pid=$(cat "$(component_pid_file "$1" "$2")" 2>/dev/null) || true
    if [ -n "$pid" ] && pid_is_lab "$pid"; then echo "$pid"; fi
}

# member_row M: one member's facts as a tab-separated line (lists joined by the unit separator);
# member_rows_json turns all rows into JSON with a single jq run (fast for 50 members).
member_row() {
    local m=$1 dir pid="" devs=() files=() dev file
    dir=$(member_dir "$m")
    pid=$(daemon_pid "$m") || pid=""
    if [ -f "$dir/disks.list" ]; then
        while read -r dev file; do devs+=("$dev") files+=("$file"); done <"$dir/disks.list"
    fi
    local IFS=$'\x1f'
    printf '%s\t' "$m" "$(member_ns "$m")" "$(member_address "$m")" "$(member_underlay_address "$m")" \
        "$dir" "$(member_state_dir "$m")" "$pid" "${devs[*]}" "${files[*]}"
    if ((LAB_COMPONENTS)); then
        printf '%s\t' "$(component_pid "$m" lxd)" "$(component_pid "$m" ovsdb-server)" "$(component_pid "$m" ovs-vswitchd)"
    fi
    echo
}

member_rows_json() {
    local ubr=null dbr=null
    if ((LAB_COMPONENTS)); then ubr="\"$LAB_UPLINK_BRIDGE\"" dbr="\"$LAB_UNDERLAY_BRIDGE\""; fi
    jq -R -s --arg cif "$LAB_CLUSTER_IF" --arg uif "$LAB_UPLINK_IF" --arg dif "$LAB_UNDERLAY_IF" \
        --argjson ubr "$ubr" --argjson dbr "$dbr" '
        def list: split("\u001f") | map(select(length > 0));
        def pid: if length > 0 then tonumber else null end;
        split("\n") | map(select(length > 0) | split("\t") | . as $f | $f[4] as $dir |
        {name: $f[0], hostname: $f[0], namespace: $f[1], address: $f[2],
         cluster_interface: $cif, uplink_interface: $uif,
         underlay_interface: $dif, underlay_address: $f[3],
         uplink_bridge: $ubr, underlay_bridge: $dbr,
         disks: ($f[7] | list), disk_files: ($f[8] | list),
         member_dir: $dir, state_dir: $f[5], config: ($dir + "/microcloudd.yaml"),
         log: ($dir + "/logs/microcloudd.log"),
         microcloudd_pid: ($f[6] | pid), running: ($f[6] | length > 0),
         lxd_dir: ($dir + "/lxd"), lxd_socket: ($dir + "/lxd/unix.socket"),
         ovs_rundir: ($dir + "/ovs/run"), ovn_rundir: ($dir + "/ovn/run"),
         ceph_conf_dir: ($dir + "/ceph/etc"),
         components: (if ($f | length) > 10 then
                        {lxd_pid: ($f[9] | pid), ovsdb_server_pid: ($f[10] | pid),
                         ovs_vswitchd_pid: ($f[11] | pid)}
                      else null end)})'
}

# status_json: the whole lab.
status_json() {
    local m members
    members=$(for m in $(all_members); do member_row "$m"; done | member_rows_json)
    local up=false
    [ -f "$LAB_DIR/up.done" ] && up=true
    jq -n --arg lab "$LAB_NAME" --argjson index "$LAB_INDEX" --arg dir "$LAB_DIR" \
        --argjson up "$up" --argjson components "$( ((LAB_COMPONENTS)) && echo true || echo false)" --arg bin "$LAB_BIN_DIR" \
        --arg subnet "$LAB_CLUSTER_PREFIX.$LAB_INDEX.0/24" --arg gateway "$(cluster_gateway)" \
        --arg uplink_subnet "$LAB_UPLINK_PREFIX.$LAB_INDEX.0/24" --arg uplink_gateway "$(uplink_gateway)" \
        --arg free "$LAB_UPLINK_PREFIX.$LAB_INDEX.$LAB_UPLINK_FREE_FIRST-$LAB_UPLINK_PREFIX.$LAB_INDEX.$LAB_UPLINK_FREE_LAST" \
        --arg underlay "$LAB_UNDERLAY_PREFIX.$LAB_INDEX.0/24" \
        --arg cif "$LAB_CLUSTER_IF" --arg uif "$LAB_UPLINK_IF" --arg dif "$LAB_UNDERLAY_IF" \
        --arg sw "$LAB_SWITCH_NS" --arg gw "$LAB_GATEWAY_NS" --argjson members "$members" \
        --arg hook "$LAB_TX_OFF_HOOK" \
        --argjson disabled "$(jq -n '$ARGS.positional' --args "${LAB_DISABLE_PLUGINS[@]}")" '
        {name: $lab, index: $index, lab_dir: $dir, up: $up, components: $components, bin_dir: $bin,
         subnet: $subnet, gateway: $gateway, cluster_interface: $cif,
         multicast: {group: "239.100.100.100", port: 9444, interface: $cif},
         uplink: {subnet: $uplink_subnet, gateway: $uplink_gateway, free_range: $free, interface: $uif},
         underlay_subnet: $underlay, underlay_interface: $dif,
         switch_namespace: $sw, gateway_namespace: $gw,
         lxc_tx_off_hook: (if $components then $hook else null end), disabled_plugins: $disabled,
         members: $members}'
}

# status_table: the same, for people.
status_table() {
    local json
    json=$(status_json)
    jq -r '
        "lab \(.name) (index \(.index), \(.lab_dir))\(if .up then "" else "  [up did not finish]" end)",
        "cluster  \(.subnet) via \(.gateway) on \(.cluster_interface)",
        "uplink   \(.uplink.subnet) gateway \(.uplink.gateway), free \(.uplink.free_range) on \(.uplink.interface)",
        "underlay \(.underlay_subnet) on \(.underlay_interface)\(if .members[0].underlay_bridge then " (address on \(.members[0].underlay_bridge); uplink bridge \(.members[0].uplink_bridge))" else "" end)",
        (if .lxc_tx_off_hook then "lxc hook \(.lxc_tx_off_hook)" else empty end),
        (if (.disabled_plugins | length) > 0 then "disabled plugins \(.disabled_plugins | join(", "))" else empty end),
        ""' <<<"$json"
    jq -r '
        (["NAME", "NAMESPACE", "ADDRESS", "UNDERLAY", "DISKS", "PID", "RUNNING"] | @tsv),
        (.members[] | [.name, .namespace, .address, .underlay_address,
                       (if (.disks | length) > 0 then (.disks | join(",")) else "-" end),
                       (.microcloudd_pid // "-" | tostring), (.running | tostring)] | @tsv)' <<<"$json" |
        column -t -s $'\t'
}
