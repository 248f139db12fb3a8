// plugins/lxd/config.cpp - parses and checks the lxd plugin's configuration section.
#include "config.hpp"

#include <algorithm>

namespace microcloud::plugins::lxd {
namespace {

using sdk::Error;
using sdk::Json;

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
}

void reject_unknown_keys(const Json& section) {
    const auto& accepted = accepted_config_keys();
    for (const auto& [key, value] : section.items()) {
        if (std::find(accepted.begin(), accepted.end(), key) != accepted.end()) continue;
        throw Error("invalid_config",
                    "lxd: unknown configuration key \"" + key + "\" (accepted keys: " + joined(accepted) + ")",
                    Json{{"key", key}, {"accepted", accepted}});
    }
}

std::optional<std::string> read_socket(const Json& section) {
    auto it = section.find("socket");
    if (it == section.end() || it->is_null()) return std::nullopt;
    if (!it->is_string() || it->get<std::string>().empty())
        throw Error("invalid_config",
                    std::string("lxd: configuration key \"socket\" must be a non-empty path, got ") + it->type_name(),
                    Json{{"key", "socket"}});
    std::string path = it->get<std::string>();
    if (path.front() != '/')
        throw Error("invalid_config",
                    "lxd: configuration key \"socket\" must be an absolute path, got \"" + path + "\"",
                    Json{{"key", "socket"}, {"value", path}});
    return path;
}

}  // namespace

const std::vector<std::string>& accepted_config_keys() {
    static const std::vector<std::string> keys{"socket"};
    return keys;
}

Config parse_config(const Json& section) {
    if (section.is_null()) return {};
    if (!section.is_object())
        throw Error("invalid_config",
                    std::string("lxd: the configuration section must be an object, got ") + section.type_name());
    reject_unknown_keys(section);
    Config config;
    config.socket = read_socket(section);
    return config;
}

}  // namespace microcloud::plugins::lxd
