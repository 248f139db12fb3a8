// plugins/ceph/ceph_status.cpp - the status query argv and the summary of its JSON answer.
#include "ceph_status.hpp"

#include <algorithm>

namespace microcloud::plugins::ceph {
namespace {

using sdk::Json;

// doc[a][b]... or null when any step is missing.
Json at_path(const Json& doc, std::initializer_list<const char*> path) {
    const Json* node = &doc;
    for (const char* key : path) {
        if (!node->is_object() || !node->contains(key)) return nullptr;
        node = &node->at(key);
    }
    return *node;
}

// Pacific and later write osdmap's counters directly; older releases nest them in "osdmap".
Json osd_counters(const Json& status) {
    Json osdmap = at_path(status, {"osdmap"});
    if (osdmap.is_object() && osdmap.contains("osdmap") && osdmap["osdmap"].is_object()) osdmap = osdmap["osdmap"];
    return {{"total", at_path(osdmap, {"num_osds"})},
            {"up", at_path(osdmap, {"num_up_osds"})},
            {"in", at_path(osdmap, {"num_in_osds"})}};
}

Json health_checks(const Json& status) {
    Json out = Json::object();
    Json checks = at_path(status, {"health", "checks"});
    if (!checks.is_object()) return out;
    for (const auto& [name, check] : checks.items()) out[name] = at_path(check, {"summary", "message"});
    return out;
}

}  // namespace

std::vector<std::string> ceph_status_argv(const std::string& ceph, const std::string& conf_path,
                                          const std::string& cluster, const std::string& keyring) {
    std::vector<std::string> argv = {ceph, "--conf", conf_path, "--cluster", cluster};
    if (!keyring.empty()) argv.insert(argv.end(), {"--keyring", keyring});
    argv.insert(argv.end(), {"--connect-timeout", std::to_string(kConnectTimeoutSeconds), "-s", "--format", "json"});
    return argv;
}

std::optional<Json> summarise_ceph_status(std::string_view output) {
    const Json status = Json::parse(output, nullptr, false);
    return status.is_discarded() ? std::nullopt : summarise_status_document(status);
}

std::optional<Json> summarise_status_document(const Json& status) {
    if (!status.is_object() || !status.contains("health")) return std::nullopt;
    return Json{{"reachable", true},
                {"status", at_path(status, {"health", "status"})},
                {"checks", health_checks(status)},
                {"fsid", at_path(status, {"fsid"})},
                {"quorum", at_path(status, {"quorum_names"})},
                {"mons", at_path(status, {"monmap", "num_mons"})},
                {"osds", osd_counters(status)},
                {"mgr_available", at_path(status, {"mgrmap", "available"})}};
}

std::vector<sdk::Json> json_documents(std::string_view output) {
    std::vector<sdk::Json> documents;
    while (!output.empty()) {
        const std::size_t end = output.find('\n');
        const std::string_view line = output.substr(0, end);
        output = end == std::string_view::npos ? std::string_view() : output.substr(end + 1);
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        sdk::Json parsed = sdk::Json::parse(line.begin(), line.end(), nullptr, false);
        if (!parsed.is_discarded()) documents.push_back(std::move(parsed));
    }
    return documents;
}

sdk::Json document_with(const std::vector<sdk::Json>& documents, const std::string& key) {
    for (const sdk::Json& document : documents)
        if (document.is_object() && document.contains(key)) return document;
    return nullptr;
}

sdk::Json service_row(const MemberDaemons& here, const sdk::Json& summary) {
    std::string role;
    const auto add_role = [&role](const std::string& part) { role += (role.empty() ? "" : "\n") + part; };
    if (here.mon) {
        add_role("mon");
        add_role("mgr");
    }
    if (here.mds) add_role("mds");
    if (here.osds > 0) add_role("osd");
    std::string problem;
    const auto add_problem = [&problem](const std::string& part) { problem += (problem.empty() ? "" : "; ") + part; };
    if (summary.is_null()) {
        add_problem("cluster does not answer");
    } else {
        const sdk::Json quorum = summary.value("quorum", sdk::Json::array());
        const bool in_quorum = quorum.is_array() && std::find(quorum.begin(), quorum.end(), sdk::Json(here.member)) != quorum.end();
        if (here.mon && !in_quorum) add_problem("mon out of quorum");
        if (here.osds > 0 && !here.osds_known)
            add_problem("OSD state unknown");
        else if (here.osds_up < here.osds)
            add_problem(std::to_string(here.osds - here.osds_up) + " of " + std::to_string(here.osds) + " OSDs down");
    }
    return {{"role", role}, {"status", problem.empty() ? "ONLINE" : problem}};
}

}  // namespace microcloud::plugins::ceph
