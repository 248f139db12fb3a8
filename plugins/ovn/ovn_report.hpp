// plugins/ovn/ovn_report.hpp - what discovery observed on a member, and the discover report
// built from it (pure: no I/O).
#pragma once

#include <microcloud/sdk/programs.hpp>
#include "host_state.hpp"
#include "ovn_config.hpp"
#include "unixctl.hpp"

#include <microcloud/sdk/plugin.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace microcloud::plugins::ovn {

using namespace sdk::programs;

// The attempt to read the Open_vSwitch row from the OVS database (an OVSDB select on its socket).
struct DatabaseProbe {
    std::string socket;  // <ovs_rundir>/db.sock
    bool socket_exists = false;
    std::optional<OvsdbSelect> answer;  // external_ids, ovs_version, datapath_types; when asked
};

// The attempt to list the Bridge table, made only once the Open_vSwitch row was read.
struct BridgeProbe {
    std::optional<OvsdbSelect> answer;  // the bridges' names, when asked
};

struct OvnObservations {
    OvnConfig config;
    std::vector<ProgramProbe> programs;  // one per kOvnPrograms entry, same order
    DatabaseProbe database;
    BridgeProbe bridges;
    std::string kernel_module_path;  // /sys/module/openvswitch
    bool kernel_module_loaded = false;
    std::vector<DaemonState> daemons;
};

// The discover report:
// {"component":"OVN", "present", "reasons":[...], "warnings":[...], "programs":{name:{...}},
//  "versions":{"openvswitch":{version,minimum,supported}, "ovn":{...}}, "ovs_rundir", "ovn_rundir",
//  "database":{socket, reachable, error?, ovs_version, datapath_types}, "datapath":{kind, ...},
//  "chassis":{system-id, ovn-remote, ...} or null, "daemons":{name:{pidfile, pid, running}},
//  "bridges":[names of the OVS bridges; [] when the database did not answer]}.
// present is true when every program is installed at a supported version; `reasons` says why
// not, `warnings` lists what else is missing (database not reachable, no kernel datapath, ...).
// The plugin adds "interfaces" and "addresses" (member_network.hpp).
sdk::Json ovn_report(const OvnObservations& observed);

}  // namespace microcloud::plugins::ovn
