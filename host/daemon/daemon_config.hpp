// host/daemon/daemon_config.hpp - microcloudd's settings: command-line flags merged over the
// optional YAML config file (<state-dir>/microcloudd.yaml or --config).
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace microcloud::host::daemon {

struct DaemonConfig {
    std::filesystem::path state_dir;
    std::vector<std::filesystem::path> plugin_dirs;  // before MICROCLOUD_PLUGIN_PATH and the default
    std::set<std::string> disabled_plugins;
    nlohmann::json plugin_config = nlohmann::json::object();  // plugin name -> config object
    unsigned join_concurrency = 0;                            // members joining a component at once (0: all of them)
    // This member's own disks (/dev paths, matched on a disk's path or by-id path): its facts list
    // only these. Unset: every disk the machine has.
    std::optional<std::vector<std::string>> disks{};
    // A plugin's worker process idle this long is stopped; the next call starts it again (0: never).
    std::chrono::seconds plugin_idle_stop{300};
};

// Reads the config file into `config`. Accepted keys: plugin-dirs (list), disable-plugins (list),
// plugins (map of plugin name -> map), join-concurrency (0..1000), disks (list of absolute paths
// under /dev, e.g. [/dev/loop3, /dev/disk/by-id/X]: the only disks this member's facts list; for
// machines that share one kernel, as the lab's members do), plugin-idle-stop (seconds, 0..86400).
// Unknown keys and wrong types are
// errors (invalid_config) naming the key, and the value where one entry is wrong.
// A missing default file is fine; a missing explicit file is an error.
void apply_config_file(DaemonConfig& config, const std::filesystem::path& file, bool explicit_file);

}  // namespace microcloud::host::daemon
