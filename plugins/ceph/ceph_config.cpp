// plugins/ceph/ceph_config.cpp - reads and checks the Ceph plugin's configuration section.
#include "ceph_config.hpp"

#include <array>
#include <cctype>
#include <string_view>

namespace microcloud::plugins::ceph {
namespace {

constexpr std::array<std::string_view, 8> kAcceptedKeys = {"conf_dir", "cluster",         "data_dir",
                                                           "run_dir",  "log_dir",         "service_manager",
                                                           "mon_data_avail_warn", "librados"};

std::string accepted_keys_text() {
    std::string text;
    for (auto key : kAcceptedKeys) text += (text.empty() ? "" : ", ") + std::string(key);
    return text;
}

[[noreturn]] void reject(const std::string& key, const std::string& problem) {
    throw sdk::Error("invalid_config", "ceph: configuration key \"" + key + "\" " + problem,
                     {{"key", key}, {"accepted", kAcceptedKeys}});
}

std::string string_setting(const sdk::Json& config, const std::string& key, const std::string& fallback) {
    if (!config.contains(key)) return fallback;
    const auto& value = config.at(key);
    if (!value.is_string()) reject(key, "must be a string");
    return value.get<std::string>();
}

std::string directory_setting(const sdk::Json& config, const std::string& key, const std::string& fallback) {
    auto path = string_setting(config, key, fallback);
    if (path.empty() || path.front() != '/') reject(key, "must be an absolute directory path, got \"" + path + "\"");
    return path;
}

bool valid_cluster_name(const std::string& name) {
    if (name.empty() || name.size() > 64 || name.front() == '-' || name.front() == '.') return false;
    for (unsigned char c : name)
        if (!std::isalnum(c) && c != '-' && c != '_' && c != '.') return false;
    return true;
}

}  // namespace

CephConfig parse_ceph_config(const sdk::Json& config) {
    if (config.is_null()) return parse_ceph_config(sdk::Json::object());
    if (!config.is_object())
        throw sdk::Error("invalid_config",
                         "ceph: the configuration section must be an object with keys " + accepted_keys_text());
    for (const auto& [key, value] : config.items()) {
        bool known = false;
        for (auto accepted : kAcceptedKeys) known = known || key == accepted;
        if (!known) reject(key, "is unknown; accepted keys: " + accepted_keys_text());
    }
    CephConfig defaults;
    CephConfig out;
    out.conf_dir = directory_setting(config, "conf_dir", defaults.conf_dir);
    out.data_dir = directory_setting(config, "data_dir", defaults.data_dir);
    out.run_dir = directory_setting(config, "run_dir", defaults.run_dir);
    out.log_dir = directory_setting(config, "log_dir", defaults.log_dir);
    out.cluster = string_setting(config, "cluster", defaults.cluster);
    const std::string manager = string_setting(config, "service_manager", "auto");
    if (manager == "auto")
        out.service_manager = ServiceManager::automatic;
    else if (manager == "systemd")
        out.service_manager = ServiceManager::systemd;
    else if (manager == "direct")
        out.service_manager = ServiceManager::direct;
    else
        reject("service_manager", "must be \"auto\", \"systemd\" or \"direct\", got \"" + manager + "\"");
    if (config.contains("mon_data_avail_warn")) {
        const auto& value = config.at("mon_data_avail_warn");
        if (!value.is_number_integer() || value.get<long long>() < 1 || value.get<long long>() > 100)
            reject("mon_data_avail_warn", "must be a whole percentage from 1 to 100, got " + value.dump());
        out.mon_data_avail_warn = value.get<int>();
    }
    out.librados = string_setting(config, "librados", defaults.librados);
    if (out.librados.find_first_of(" \t\n") != std::string::npos)
        reject("librados", "must be a library name or path without blanks, or \"\" for the ceph CLI only, got \"" +
                               out.librados + "\"");
    if (!valid_cluster_name(out.cluster))
        reject("cluster",
               "must be a name of letters, digits, '-', '_' or '.' (up to 64, not starting with "
               "'-' or '.'), got \"" +
                   out.cluster + "\"");
    return out;
}

std::string to_string(ServiceManager manager) {
    switch (manager) {
        case ServiceManager::systemd: return "systemd";
        case ServiceManager::direct: return "direct";
        case ServiceManager::automatic: break;
    }
    return "auto";
}

}  // namespace microcloud::plugins::ceph
