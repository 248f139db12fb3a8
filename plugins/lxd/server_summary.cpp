// plugins/lxd/server_summary.cpp - picks the facts a cluster plan needs out of GET /1.0.
#include "server_summary.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace microcloud::plugins::lxd {
namespace {

using sdk::Json;

// Facts of environment copied as LXD states them (the PEM certificate is left out on purpose).
constexpr std::array<std::string_view, 17> environment_keys{"addresses",
                                                            "architectures",
                                                            "certificate_fingerprint",
                                                            "driver",
                                                            "driver_version",
                                                            "firewall",
                                                            "kernel",
                                                            "kernel_architecture",
                                                            "kernel_features",
                                                            "kernel_version",
                                                            "lxc_features",
                                                            "os_name",
                                                            "os_version",
                                                            "project",
                                                            "server_pid",
                                                            "storage",
                                                            "storage_version"};

void copy_if_present(const Json& from, std::string_view from_key, Json& to, std::string_view to_key) {
    auto it = from.find(from_key);
    if (it != from.end() && !it->is_null()) to[std::string(to_key)] = *it;
}

// LXD 5.0 writes the driver fields capitalised (Name, Version, Remote); accept either spelling.
Json field(const Json& entry, const char* lower, const char* upper) {
    if (auto it = entry.find(lower); it != entry.end()) return *it;
    if (auto it = entry.find(upper); it != entry.end()) return *it;
    return Json();
}

std::string name_of(const Json& driver) {
    const Json& name = driver.at("name");
    return name.is_string() ? name.get<std::string>() : std::string();
}

Json storage_drivers(const Json& environment) {
    Json drivers = Json::array();
    auto it = environment.find("storage_supported_drivers");
    if (it == environment.end() || !it->is_array()) return drivers;
    for (const Json& entry : *it) {
        if (!entry.is_object()) continue;
        drivers.push_back(Json{{"name", field(entry, "name", "Name")},
                               {"version", field(entry, "version", "Version")},
                               {"remote", field(entry, "remote", "Remote")}});
    }
    // LXD lists them in no stable order; sorted, two reports of one member compare equal.
    std::sort(drivers.begin(), drivers.end(), [](const Json& a, const Json& b) { return name_of(a) < name_of(b); });
    return drivers;
}

Json environment_facts(const Json& environment) {
    Json facts = Json::object();
    for (std::string_view key : environment_keys) copy_if_present(environment, key, facts, key);
    return facts;
}

}  // namespace

sdk::Json summarize_server(const sdk::Json& metadata) {
    if (!metadata.is_object()) throw sdk::Error("bad_response", "LXD's GET /1.0 metadata is not an object");
    const Json environment = metadata.value("environment", Json::object());
    Json summary = Json::object();
    copy_if_present(environment, "server_version", summary, "version");
    copy_if_present(environment, "server_clustered", summary, "clustered");
    copy_if_present(environment, "server_name", summary, "server_name");
    copy_if_present(metadata, "api_version", summary, "api_version");
    copy_if_present(metadata, "auth", summary, "auth");
    summary["api_extensions"] = metadata.value("api_extensions", Json::array());
    summary["storage_drivers"] = storage_drivers(environment);
    summary["environment"] = environment_facts(environment);
    summary["server_config"] = metadata.value("config", Json::object());
    return summary;
}

}  // namespace microcloud::plugins::lxd
