// plugins/ovn/ovn_discovery.cpp - runs the read-only probes of OVS/OVN on this member.
#include "ovn_discovery.hpp"

#include "ovn_programs.hpp"
#include "tool_version.hpp"

#include <chrono>
#include <set>

namespace microcloud::plugins::ovn {
namespace fs = std::filesystem;

namespace {

constexpr std::chrono::milliseconds kQueryTimeout{2000};  // as ovs-vsctl --timeout=2 waited

// What the Open_vSwitch row holds for discovery, read from the database socket (as
// `ovs-vsctl list Open_vSwitch` would, without a process on every member at once).
DatabaseProbe probe_database(const OvnConfig& config) {
    DatabaseProbe db;
    db.socket = (fs::path(config.ovs_rundir) / "db.sock").string();
    db.socket_exists = is_socket(db.socket);
    if (!db.socket_exists) return db;
    db.answer = ovsdb_select(db.socket, "Open_vSwitch", "Open_vSwitch",
                             {"external_ids", "ovs_version", "datapath_types"}, kQueryTimeout);
    return db;
}

// Lists the bridges, but only once the Open_vSwitch row was read: a database that did not answer
// that query would only make this one wait as long.
BridgeProbe probe_bridges(const DatabaseProbe& db) {
    BridgeProbe bridges;
    if (!db.answer || !db.answer->ok) return bridges;
    bridges.answer = ovsdb_select(db.socket, "Open_vSwitch", "Bridge", {"name"}, kQueryTimeout);
    return bridges;
}

std::vector<DaemonState> probe_daemons(const OvnConfig& config, const fs::path& proc_root) {
    struct Daemon {
        const char* name;
        const std::string& rundir;
        const char* pidfile;
    };
    const Daemon daemons[] = {
        {"ovsdb-server", config.ovs_rundir, "ovsdb-server.pid"},
        {"ovs-vswitchd", config.ovs_rundir, "ovs-vswitchd.pid"},
        {"ovn-nb-db", config.ovn_rundir, "ovnnb_db.pid"},
        {"ovn-sb-db", config.ovn_rundir, "ovnsb_db.pid"},
        {"ovn-northd", config.ovn_rundir, "ovn-northd.pid"},
        {"ovn-controller", config.ovn_rundir, "ovn-controller.pid"},
    };
    std::vector<DaemonState> out;
    for (const auto& d : daemons) out.push_back(daemon_state(d.name, fs::path(d.rundir) / d.pidfile, proc_root));
    return out;
}

}  // namespace

OvnObservations observe_ovn(const OvnConfig& config, const CommandRunner& run, const SystemRoots& roots) {
    OvnObservations observed;
    observed.config = config;
    const auto dirs = program_search_dirs(roots.path_env);
    std::set<Component> answered;  // see kOvnPrograms: one answer speaks for its component
    for (const auto& spec : kOvnPrograms) {
        if (answered.contains(spec.component)) {
            observed.programs.push_back(locate_program(spec.name, spec.package, dirs));
            continue;
        }
        // The version from dpkg when the package owns the file, else from `--version`.
        const ProgramProbe& probe =
            observed.programs.emplace_back(probe_program_or_package(spec.name, spec.package, dirs, run, roots.dpkg));
        if (!probe.package_version.empty() || (probe.run && probe.run->ok() && parse_tool_version(probe.run->out)))
            answered.insert(spec.component);
    }
    observed.database = probe_database(config);
    observed.bridges = probe_bridges(observed.database);
    observed.kernel_module_path = (roots.sys / "module" / "openvswitch").string();
    observed.kernel_module_loaded = kernel_module_loaded(roots.sys, "openvswitch");
    observed.daemons = probe_daemons(config, roots.proc);
    return observed;
}

}  // namespace microcloud::plugins::ovn
