// plugins/ovn/ovn_discovery.cpp - runs the read-only probes of OVS/OVN on this member.
#include "ovn_discovery.hpp"

#include "ovn_programs.hpp"
#include "ovsdb_json.hpp"
#include "tool_version.hpp"

#include <chrono>
#include <set>

namespace microcloud::plugins::ovn {
namespace fs = std::filesystem;

namespace {

constexpr std::chrono::milliseconds kQueryTimeout{5000};

const ProgramProbe* find_probe(const std::vector<ProgramProbe>& probes, std::string_view name) {
    for (const auto& probe : probes)
        if (probe.name == name) return &probe;
    return nullptr;
}

// Runs an ovs-vsctl query on this member's database; why it could not start goes to `start_error`.
std::optional<sdk::CommandResult> query_ovs(const OvnConfig& config, const CommandRunner& run,
                                            const std::vector<std::string>& argv, std::string& start_error) {
    sdk::CommandOptions options;
    options.timeout = kQueryTimeout;
    options.env = {{"OVS_RUNDIR", config.ovs_rundir}};
    try {
        return run(argv, options);
    } catch (const std::exception& e) {
        start_error = e.what();
        return std::nullopt;
    }
}

DatabaseProbe probe_database(const OvnConfig& config, const std::vector<ProgramProbe>& programs,
                             const CommandRunner& run) {
    DatabaseProbe db;
    db.socket = (fs::path(config.ovs_rundir) / "db.sock").string();
    db.socket_exists = is_socket(db.socket);
    const ProgramProbe* vsctl = find_probe(programs, "ovs-vsctl");
    if (!db.socket_exists || vsctl == nullptr || vsctl->path.empty()) return db;
    db.run = query_ovs(config, run, open_vswitch_query_argv(vsctl->path, db.socket), db.start_error);
    return db;
}

// Lists the bridges, but only once the Open_vSwitch row was read: a database that did not answer
// that query would only make this one wait as long.
BridgeProbe probe_bridges(const OvnConfig& config, const std::vector<ProgramProbe>& programs, const DatabaseProbe& db,
                          const CommandRunner& run) {
    BridgeProbe bridges;
    const ProgramProbe* vsctl = find_probe(programs, "ovs-vsctl");
    if (!db.run || !db.run->ok() || vsctl == nullptr || vsctl->path.empty()) return bridges;
    bridges.run = query_ovs(config, run, bridge_query_argv(vsctl->path, db.socket), bridges.start_error);
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

std::vector<std::string> bridge_query_argv(const std::string& ovs_vsctl, const std::string& socket) {
    return {ovs_vsctl, "--db=unix:" + socket, "--timeout=2", "--format=json", "--columns=name", "list", "Bridge"};
}

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
        observed.programs.push_back(probe_program(spec.name, spec.package, dirs, run));
        const auto& run = observed.programs.back().run;
        if (run && run->ok() && parse_tool_version(run->out)) answered.insert(spec.component);
    }
    observed.database = probe_database(config, observed.programs, run);
    observed.bridges = probe_bridges(config, observed.programs, observed.database, run);
    observed.kernel_module_path = (roots.sys / "module" / "openvswitch").string();
    observed.kernel_module_loaded = kernel_module_loaded(roots.sys, "openvswitch");
    observed.daemons = probe_daemons(config, roots.proc);
    return observed;
}

}  // namespace microcloud::plugins::ovn
