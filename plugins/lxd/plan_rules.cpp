// plugins/lxd/plan_rules.cpp - each rule adds problems that name the field, the value and what
// would be accepted.
#include "plan_rules.hpp"

#include "plan_input.hpp"

#include <microcloud/sdk/problems.hpp>

#include <algorithm>
#include <cstdio>
#include <set>

namespace microcloud::plugins::lxd {

using sdk::Json;

namespace {

using sdk::Problems;

std::string joined(const Json& list) {
    std::string out;
    for (const Json& item : list)
        out += (out.empty() ? "" : ", ") + (item.is_string() ? item.get<std::string>() : item.dump());
    return out.empty() ? "none" : out;
}

Json names(const Json& list) {
    Json out = Json::array();
    for (const Json& item : list) out.push_back(item.value("name", ""));
    return out;
}

bool at_least(const std::string& version, int major, int minor) {
    int a = 0, b = 0;
    if (std::sscanf(version.c_str(), "%d.%d", &a, &b) < 1) return false;
    return a > major || (a == major && b >= minor);
}

void check_server(Problems& out, const std::string& member, const Json& report, bool must_be_standalone) {
    const std::string field = "systems[" + member + "]";
    if (report.contains("error")) {
        out.error(field,
                  "LXD's discovery failed on " + member + ": " + report["error"].value("message", "no reason given"));
        return;
    }
    if (!report.value("running", false)) {
        out.error(field, "LXD is not running on " + member + ": " + joined(report.value("reasons", Json::array())));
        return;
    }
    const std::string version = report.value("version", "");
    if (!at_least(version, 5, 0))
        out.error(field, "LXD on " + member + " is version " + version + "; version 5.0 or later is needed");
    const Json extensions = report.value("api_extensions", Json::array());
    Json missing = Json::array();
    for (const std::string& needed : required_extensions())
        if (std::find(extensions.begin(), extensions.end(), Json(needed)) == extensions.end())
            missing.push_back(needed);
    if (!missing.empty()) out.error(field, "LXD on " + member + " lacks the API extensions " + joined(missing));
    if (must_be_standalone && report.value("clustered", false))
        out.error(field, "LXD on " + member + " is already clustered (as \"" + report.value("server_name", "") +
                             "\"); MicroCloud only adds standalone LXD servers");
    if (!must_be_standalone) return;
    for (const Json& pool : report.value("storage_pools", Json::array()))
        if (pool.value("name", "") == "local" || pool.value("name", "") == "remote")
            out.error(field, "LXD on " + member + " already has a storage pool named \"" + pool.value("name", "") +
                                 "\", which MicroCloud would create; remove it or leave " + member + " out");
    for (const Json& network : report.value("networks", Json::array()))
        if (network.value("managed", false) &&
            (network.value("name", "") == "UPLINK" || network.value("name", "") == "lxdfan0"))
            out.error(field, "LXD on " + member + " already has a network named \"" + network.value("name", "") +
                                 "\", which MicroCloud would create; remove it or leave " + member + " out");
}

void check_disk(Problems& out, const std::string& member, const Json& report, const Json& local) {
    if (local.empty()) return;
    const std::string path = local.value("path", "");
    const std::string field = "systems[" + member + "].storage.local.path";
    const Json disks = report.value("disks", Json::array());
    auto disk = std::find_if(disks.begin(), disks.end(),
                             [&](const Json& d) { return d.value("path", "") == path || d.value("id", "") == path; });
    if (disk == disks.end()) {
        out.error(field, "Disk \"" + path + "\" was not found on " + member + "; its disks: " + joined(names(disks)));
        return;
    }
    if (disk->value("in_use", false))
        out.error(field, "Disk \"" + path + "\" on " + member + " is in use (" + disk->value("in_use_reason", "") +
                             "); choose a free disk");
    else if (!disk->value("partitions", Json::array()).empty() && !local.value("wipe", false))
        out.error(field, "Disk \"" + path + "\" on " + member +
                             " has partitions; set wipe: true to let LXD use the whole disk, or choose another");
}

void check_config(Problems& out, const Json& input, const Json& reports) {
    const Json config = input.value("config", Json::object());
    if (!config.is_object()) {
        out.error("lxd", "the lxd section must be a mapping; accepted keys: " + joined(plan_config_keys()));
        return;
    }
    for (const auto& [key, value] : config.items())
        if (std::find(plan_config_keys().begin(), plan_config_keys().end(), key) == plan_config_keys().end())
            out.error("lxd." + key, "unknown key \"" + key + "\"; accepted keys: " + joined(plan_config_keys()));
    if (!config.contains("local_driver")) return;
    if (!config["local_driver"].is_string()) {
        out.error("lxd.local_driver",
                  "local_driver must be the name of a storage driver (such as dir, lvm, zfs, btrfs), not " +
                      config["local_driver"].dump());
        return;
    }
    const std::string driver = config["local_driver"].get<std::string>();
    for (const auto& [member, report] : reports.items()) {
        if (!report.value("running", false)) continue;
        Json local = Json::array();
        for (const Json& d : report.value("storage_drivers", Json::array()))
            if (!d.value("remote", false)) local.push_back(d.value("name", ""));
        if (std::find(local.begin(), local.end(), Json(driver)) == local.end())
            out.error("lxd.local_driver", "Storage driver \"" + driver + "\" is not available in LXD on " + member +
                                              "; available: " + joined(local));
    }
}

}  // namespace

const std::vector<std::string>& required_extensions() {
    static const std::vector<std::string> list{"clustering", "clustering_join_token", "clustering_server_address"};
    return list;
}

const std::vector<std::string>& plan_config_keys() {
    static const std::vector<std::string> keys{"local_driver"};
    return keys;
}

namespace {

// The members whose LXD the plan concerns: the first member and those joining.
std::set<std::string> judged_members(const Json& input) {
    const auto members = input.value("members", std::vector<std::string>{});
    const auto joining = input.value("joining", std::vector<std::string>{});
    std::set<std::string> judged(joining.begin(), joining.end());
    if (!members.empty()) judged.insert(members.front());
    return judged;
}

}  // namespace

std::optional<std::string> not_taking_part(const Json& input) {
    const Json reports = input.value("discovery", Json::object());
    std::string why;
    for (const std::string& member : judged_members(input)) {
        auto it = reports.find(member);
        if (it == reports.end() || !it->is_object()) continue;
        if (it->value("running", false) || it->contains("error")) return std::nullopt;
        why += (why.empty() ? "" : "; ") + member + ": " + joined(it->value("reasons", Json::array()));
    }
    if (why.empty()) return std::nullopt;
    return "LXD runs on none of the members (" + why + ")";
}

Json plan_problems(const Json& input) {
    Problems out;
    const Json reports = input.value("discovery", Json::object());
    const auto members = input.value("members", std::vector<std::string>{});
    const bool bootstrap = input.value("bootstrap", false);
    for (const std::string& member : judged_members(input)) {
        auto it = reports.find(member);
        if (it == reports.end() || !it->is_object()) continue;
        const bool is_leader = !members.empty() && member == members.front();
        const bool standalone = bootstrap || !is_leader;
        check_server(out, member, *it, standalone);
        if (!standalone && !it->value("clustered", false) && it->value("running", false))
            out.error(
                "systems[" + member + "]",
                "LXD on " + member + " is not clustered, so it cannot take new members; form the LXD cluster first");
        if (!standalone) continue;  // the cluster's member: its disk serves it already
        check_disk(out, member, *it, local_disk(input, member));
    }
    check_config(out, input, reports);
    return out.list;
}

}  // namespace microcloud::plugins::lxd
