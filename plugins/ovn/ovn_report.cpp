// plugins/ovn/ovn_report.cpp - builds the OVN discover report from observations.
#include "ovn_report.hpp"

#include "ovn_programs.hpp"
#include "ovsdb_json.hpp"
#include "tool_version.hpp"

#include <map>

namespace microcloud::plugins::ovn {
namespace {

using sdk::Json;

struct Findings {
    std::vector<std::string> reasons;   // why the component is not usable here
    std::vector<std::string> warnings;  // what else is missing
};

const char* component_title(Component c) {
    return c == Component::openvswitch ? "Open vSwitch" : "OVN";
}
const char* component_key(Component c) {
    return c == Component::openvswitch ? "openvswitch" : "ovn";
}
const char* component_minimum(Component c) {
    return c == Component::openvswitch ? kMinimumOpenvswitch : kMinimumOvn;
}

Component component_of(const std::string& program) {
    for (const auto& spec : kOvnPrograms)
        if (program == spec.name) return spec.component;
    return Component::ovn;
}

Json optional_text(const std::string& text) {
    return text.empty() ? Json(nullptr) : Json(text);
}

// The program's entry in "programs", noting problems in `findings`; sets `version` when parsed.
Json program_fact(const ProgramProbe& probe, std::optional<ToolVersion>& version, Findings& findings) {
    Json fact = {{"installed", !probe.path.empty()},
                 {"path", optional_text(probe.path)},
                 {"package", probe.package},
                 {"version", nullptr}};
    if (probe.path.empty()) {
        findings.reasons.push_back(probe.name +
                                   " is not installed: it is in neither PATH nor the standard sbin/bin "
                                   "directories (Debian package " +
                                   probe.package + ").");
        return fact;
    }
    std::string problem;
    if (!probe.package_version.empty()) {
        // dpkg's record of the package that owns the file (no library or schema versions there).
        version = ToolVersion{probe.name, probe.package_version, "", "", ""};
    } else if (!probe.run && probe.start_error.empty()) {
        return fact;  // found; its component's version came from another program (see kOvnPrograms)
    } else if (!probe.run) {
        problem = "could not be started: " + probe.start_error;
    } else if (!probe.run->ok()) {
        problem = failure_text(*probe.run);
    } else if (version = parse_tool_version(probe.run->out); !version) {
        problem = "printed no version number: \"" + last_line(probe.run->out) + "\"";
    }
    if (!problem.empty()) {
        fact["error"] = problem;
        findings.warnings.push_back(probe.name + " is installed at " + probe.path + " but `" + probe.name +
                                    " --version` " + problem + ".");
        return fact;
    }
    fact["version"] = version->version;
    fact["version_from"] = probe.package_version.empty() ? "--version" : "package";
    if (!version->ovs_library.empty()) fact["ovs_library"] = version->ovs_library;
    if (!version->db_schema.empty()) fact["db_schema"] = version->db_schema;
    if (!version->sb_db_schema.empty()) fact["sb_db_schema"] = version->sb_db_schema;
    return fact;
}

// {"version","minimum","supported"} for one component, from its programs' versions.
Json component_version(Component component, const std::vector<std::pair<std::string, std::string>>& seen,
                       Findings& findings) {
    Json out = {{"version", nullptr}, {"minimum", component_minimum(component)}, {"supported", nullptr}};
    if (seen.empty()) return out;
    const std::string& version = seen.front().second;
    out["version"] = version;
    std::string listing;
    bool differ = false;
    for (const auto& [program, v] : seen) {
        listing += (listing.empty() ? "" : ", ") + program + " " + v;
        differ = differ || v != version;
    }
    if (differ)
        findings.warnings.push_back(std::string(component_title(component)) +
                                    " programs report different versions: " + listing + ".");
    auto supported = version_at_least(version, component_minimum(component));
    out["supported"] = supported ? Json(*supported) : Json(nullptr);
    if (supported && !*supported)
        findings.reasons.push_back(std::string(component_title(component)) + " " + version +
                                   " is older than the oldest supported version " + component_minimum(component) + ".");
    return out;
}

// The "database" fact; `row` receives the Open_vSwitch row when the query worked.
Json database_fact(const DatabaseProbe& db, Json& row, Findings& findings) {
    Json fact = {{"socket", db.socket}, {"reachable", false}};
    std::string error;
    if (!db.socket_exists) {
        error = "there is no socket at " + db.socket + " (ovsdb-server is not running with this run directory)";
    } else if (!db.answer) {
        error = "the database at " + db.socket + " was not asked";
    } else if (!db.answer->ok) {
        error = db.answer->error;
    } else if (db.answer->rows.size() != 1) {
        error = "the database has " + std::to_string(db.answer->rows.size()) + " Open_vSwitch rows, not one";
    } else {
        row = db.answer->rows.front();
    }
    if (!error.empty()) {
        fact["error"] = error;
        findings.warnings.push_back("The Open vSwitch database is not reachable: " + error + ".");
        return fact;
    }
    fact["reachable"] = true;
    auto version = row.value("ovs_version", Json());
    fact["ovs_version"] = version.is_string() ? version : Json(nullptr);
    fact["datapath_types"] = string_list(row.value("datapath_types", Json()));
    return fact;
}

Json datapath_fact(const OvnObservations& observed, const Json& row, Findings& findings) {
    const bool kernel = observed.kernel_module_loaded;
    Json fact = {{"kind", kernel ? "kernel" : "userspace"},
                 {"kernel_module_loaded", kernel},
                 {"kernel_module_path", observed.kernel_module_path},
                 {"bridge_datapath_type", kernel ? "system" : "netdev"},
                 {"available_types", nullptr}};
    if (row.is_object()) fact["available_types"] = string_list(row.value("datapath_types", Json()));
    if (!kernel)
        findings.warnings.push_back("The openvswitch kernel module is not loaded (" + observed.kernel_module_path +
                                    " is absent): bridges must use the userspace datapath (datapath_type=netdev).");
    return fact;
}

// The "bridges" fact: the names listed, or [] (with a warning when the listing failed).
Json bridges_fact(const BridgeProbe& probe, Findings& findings) {
    Json names = Json::array();
    if (!probe.answer) return names;  // the database did not answer
    if (!probe.answer->ok) {
        findings.warnings.push_back("The OVS bridges could not be listed: " + probe.answer->error + ".");
        return names;
    }
    for (const Json& row : probe.answer->rows)
        if (row.contains("name") && row["name"].is_string()) names.push_back(row["name"]);
    return names;
}

Json daemons_fact(const std::vector<DaemonState>& daemons) {
    Json out = Json::object();
    for (const auto& d : daemons)
        out[d.name] = {{"pidfile", d.pidfile}, {"pid", d.pid ? Json(*d.pid) : Json(nullptr)}, {"running", d.running}};
    return out;
}

}  // namespace

Json ovn_report(const OvnObservations& observed) {
    Findings findings;
    Json programs = Json::object();
    std::map<Component, std::vector<std::pair<std::string, std::string>>> versions;
    for (const auto& probe : observed.programs) {
        std::optional<ToolVersion> version;
        programs[probe.name] = program_fact(probe, version, findings);
        if (version) versions[component_of(probe.name)].emplace_back(probe.name, version->version);
    }
    Json version_facts = Json::object();
    for (auto component : {Component::openvswitch, Component::ovn})
        version_facts[component_key(component)] = component_version(component, versions[component], findings);

    Json row;
    Json database = database_fact(observed.database, row, findings);
    Json datapath = datapath_fact(observed, row, findings);
    Json chassis = row.is_object() ? chassis_settings(row.value("external_ids", Json::object())) : Json(nullptr);
    Json bridges = bridges_fact(observed.bridges, findings);

    return Json{{"component", "OVN"},
                {"present", findings.reasons.empty()},
                {"version", version_facts["ovn"].value("version", Json(nullptr))},
                {"running", database.value("reachable", false)},
                {"reasons", findings.reasons},
                {"warnings", findings.warnings},
                {"programs", programs},
                {"versions", version_facts},
                {"ovs_rundir", observed.config.ovs_rundir},
                {"ovn_rundir", observed.config.ovn_rundir},
                {"database", database},
                {"datapath", datapath},
                {"chassis", chassis},
                {"daemons", daemons_fact(observed.daemons)},
                {"bridges", bridges}};
}

}  // namespace microcloud::plugins::ovn
