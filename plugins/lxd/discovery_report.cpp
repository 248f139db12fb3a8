// plugins/lxd/discovery_report.cpp - assembles the lxd discover report and its reasons.
#include "discovery_report.hpp"

#include <vector>

namespace microcloud::plugins::lxd {
namespace {

using sdk::Json;

std::string listed(const std::vector<std::string>& paths) {
    std::string out;
    for (std::size_t i = 0; i < paths.size(); ++i)
        out += (i == 0 ? "" : (i + 1 == paths.size() ? " and " : ", ")) + paths[i];
    return out;
}

// Why LXD is not running, or nothing when it answered.
std::optional<std::string> not_running_reason(const Observations& seen) {
    if (!seen.socket.path)
        return "No LXD socket was found: LXD_DIR is not set and " + listed(seen.socket.tried) +
               " do not exist; set plugins.lxd.socket if LXD listens elsewhere.";
    const std::string& path = *seen.socket.path;
    const std::string origin = " (" + source_description(seen.socket.source) + ")";
    if (!seen.socket_exists)
        return "The LXD socket " + path + origin + " does not exist, so the LXD daemon is not running.";
    if (!seen.server) return "LXD was not asked on " + path + origin + ".";
    if (!seen.server->ok())
        return "LXD did not answer GET /1.0 on " + path + origin + ": " + seen.server->problem + ".";
    return std::nullopt;
}

void add_listing(Json& report, Json& reasons, const char* key, const char* what, const std::optional<Answer>& answer) {
    if (!answer) return;
    if (answer->ok()) {
        report[key] = answer->summary;
        return;
    }
    reasons.push_back(std::string("Could not list LXD's ") + what + ": " + answer->problem + ".");
}

}  // namespace

sdk::Json build_report(const Observations& seen) {
    const bool running = seen.server && seen.server->ok();
    Json reasons = Json::array();
    Json report = Json::object();
    report["present"] = seen.program.installed || seen.socket_exists || running;
    report["running"] = running;
    report["installed"] = seen.program.installed;
    if (seen.program.installed && !seen.program.version.empty()) report["program_version"] = seen.program.version;
    report["socket"] = seen.socket.path ? Json(*seen.socket.path) : Json();
    report["socket_source"] = source_name(seen.socket.source);
    report["sockets_tried"] = seen.socket.tried;

    if (!seen.program.installed)
        reasons.push_back("The lxd program was not found on this member's PATH: " + seen.program.problem + ".");
    if (auto reason = not_running_reason(seen)) reasons.push_back(*reason);
    if (running) report.update(seen.server->summary);
    add_listing(report, reasons, "storage_pools", "storage pools", seen.storage_pools);
    add_listing(report, reasons, "networks", "networks", seen.networks);

    report["reasons"] = std::move(reasons);
    return report;
}

}  // namespace microcloud::plugins::lxd
