// plugins/ovn/ovn_config.cpp - reads and checks the OVN plugin's configuration section.
#include "ovn_config.hpp"

#include <array>
#include <cstdlib>
#include <string_view>

namespace microcloud::plugins::ovn {
namespace {

constexpr std::array<std::string_view, 6> kAcceptedKeys = {"ovs_rundir", "ovn_rundir", "ovn_dbdir",
                                                            "ovn_logdir", "ovn_ctl",    "pki_dir"};

std::string accepted_keys_text() {
    std::string text;
    for (auto key : kAcceptedKeys) text += (text.empty() ? "" : ", ") + std::string(key);
    return text;
}

[[noreturn]] void reject(const std::string& key, const std::string& problem) {
    throw sdk::Error("invalid_config", "ovn: configuration key \"" + key + "\" " + problem,
                     {{"key", key}, {"accepted", kAcceptedKeys}});
}

void reject_unknown_keys(const sdk::Json& config) {
    for (const auto& [key, value] : config.items()) {
        bool known = false;
        for (auto accepted : kAcceptedKeys) known = known || key == accepted;
        if (!known) reject(key, "is unknown; accepted keys: " + accepted_keys_text());
    }
}

// The directory for `key`: from the config, else from the environment, else the default.
std::string directory_setting(const sdk::Json& config, const std::string& key, const char* env_name,
                              const char* fallback, const EnvLookup& env) {
    if (config.contains(key)) {
        const auto& value = config.at(key);
        if (!value.is_string()) reject(key, "must be a string (an absolute path)");
        auto path = value.get<std::string>();
        if (path.empty() || path.front() != '/')
            reject(key, "must be an absolute path, got \"" + path + "\"");
        return path;
    }
    if (*env_name != '\0')
        if (auto from_env = env(env_name); from_env && !from_env->empty()) return *from_env;
    return fallback;
}

}  // namespace

std::optional<std::string> process_env(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr) return std::nullopt;
    return std::string(value);
}

OvnConfig parse_ovn_config(const sdk::Json& config, const EnvLookup& env) {
    if (config.is_null()) return parse_ovn_config(sdk::Json::object(), env);
    if (!config.is_object())
        throw sdk::Error("invalid_config",
                         "ovn: the configuration section must be an object with keys " + accepted_keys_text());
    reject_unknown_keys(config);
    OvnConfig out;
    out.ovs_rundir = directory_setting(config, "ovs_rundir", "OVS_RUNDIR", "/run/openvswitch", env);
    out.ovn_rundir = directory_setting(config, "ovn_rundir", "OVN_RUNDIR", "/run/ovn", env);
    out.ovn_dbdir = directory_setting(config, "ovn_dbdir", "OVN_DBDIR", "/var/lib/ovn", env);
    out.ovn_logdir = directory_setting(config, "ovn_logdir", "OVN_LOGDIR", "/var/log/ovn", env);
    out.ovn_ctl = directory_setting(config, "ovn_ctl", "", "/usr/share/ovn/scripts/ovn-ctl", env);
    out.pki_dir = directory_setting(config, "pki_dir", "", (out.ovn_dbdir + "/microcloud-pki").c_str(), env);
    return out;
}

}  // namespace microcloud::plugins::ovn
