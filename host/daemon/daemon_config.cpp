// host/daemon/daemon_config.cpp - reading and checking the daemon's YAML config file.
#include "daemon/daemon_config.hpp"

#include "common/error.hpp"
#include "common/yaml_json.hpp"

namespace microcloud::host::daemon {
namespace {

[[noreturn]] void bad(const std::filesystem::path& file, const std::string& key, const std::string& what,
                      const nlohmann::json& value = nullptr) {
    nlohmann::json details{{"file", file.string()}, {"key", key}};
    if (!value.is_null()) details["value"] = value;
    throw Error("invalid_config", "Invalid config file " + file.string() + ": key \"" + key + "\" " + what, details);
}

std::vector<std::string> string_list(const std::filesystem::path& file, const std::string& key,
                                     const nlohmann::json& v) {
    if (!v.is_array()) bad(file, key, "must be a list of strings");
    std::vector<std::string> out;
    for (const auto& item : v) {
        if (!item.is_string()) bad(file, key, "must be a list of strings");
        out.push_back(item.get<std::string>());
    }
    return out;
}

// An absolute path under /dev naming a device (not /dev itself, no way out of /dev through "..").
bool is_device_path(const std::string& text) {
    const std::filesystem::path path(text);
    if (!path.is_absolute()) return false;
    const std::filesystem::path normal = path.lexically_normal();
    const std::filesystem::path relative = normal.lexically_relative("/dev");
    return !relative.empty() && relative != "." && *relative.begin() != ".." && normal.string() == text;
}

std::vector<std::string> device_list(const std::filesystem::path& file, const std::string& key,
                                     const nlohmann::json& v) {
    if (!v.is_array()) bad(file, key, "must be a list of device paths (e.g. [/dev/sdb, /dev/disk/by-id/X])");
    std::vector<std::string> out;
    for (const auto& item : v) {
        if (!item.is_string() || !is_device_path(item.get<std::string>()))
            bad(file, key,
                "must list absolute device paths under /dev (e.g. /dev/sdb or /dev/disk/by-id/X), not " + item.dump(),
                item);
        out.push_back(item.get<std::string>());
    }
    return out;
}

}  // namespace

void apply_config_file(DaemonConfig& config, const std::filesystem::path& file, bool explicit_file) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
        if (explicit_file) throw Error("file_unreadable", "Config file " + file.string() + " does not exist");
        return;
    }
    nlohmann::json doc = load_yaml_file(file);
    if (doc.is_null()) return;
    if (!doc.is_object())
        throw Error("invalid_config", "Invalid config file " + file.string() + ": expected a map of settings");
    for (const auto& [key, value] : doc.items()) {
        if (key == "plugin-dirs") {
            for (const std::string& dir : string_list(file, key, value)) config.plugin_dirs.emplace_back(dir);
        } else if (key == "disable-plugins") {
            for (const std::string& name : string_list(file, key, value)) config.disabled_plugins.insert(name);
        } else if (key == "plugins") {
            if (!value.is_object()) bad(file, key, "must map plugin names to their settings");
            for (const auto& [name, settings] : value.items()) {
                if (!settings.is_object() && !settings.is_null())
                    bad(file, key + "." + name, "must be a map of settings");
                config.plugin_config[name] = settings.is_null() ? nlohmann::json::object() : settings;
            }
        } else if (key == "join-concurrency") {
            if (!value.is_number_integer() || value.get<std::int64_t>() < 0 || value.get<std::int64_t>() > 1000)
                bad(file, key, "must be a whole number from 0 (every joiner at once) to 1000, not " + value.dump());
            config.join_concurrency = value.get<unsigned>();
        } else if (key == "disks") {
            config.disks = device_list(file, key, value);
        } else if (key == "plugin-idle-stop") {
            if (!value.is_number_integer() || value.get<std::int64_t>() < 0 || value.get<std::int64_t>() > 86400)
                bad(file, key, "must be a whole number of seconds from 0 (never stop) to 86400, not " + value.dump());
            config.plugin_idle_stop = std::chrono::seconds(value.get<unsigned>());
        } else {
            bad(file, key,
                "is not known (accepted: plugin-dirs, disable-plugins, plugins, join-concurrency, disks, plugin-idle-stop)");
        }
    }
}

}  // namespace microcloud::host::daemon
