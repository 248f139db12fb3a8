// plugins/lxd/config.hpp - the lxd plugin's configuration section (plugins.lxd), checked strictly.
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <optional>
#include <string>
#include <vector>

namespace microcloud::plugins::lxd {

/// What an operator may set for the lxd plugin; every key is optional.
struct Config {
    /// LXD's unix socket; chosen automatically (LXD_DIR, snap, package) when unset.
    std::optional<std::string> socket;
};

/// The configuration keys the plugin accepts, in the order the documentation lists them.
const std::vector<std::string>& accepted_config_keys();

/// Reads the plugin's section of the daemon configuration (an object, or null for "nothing set").
/// Throws sdk::Error("invalid_config") naming the offending key and what would be accepted.
Config parse_config(const sdk::Json& section);

}  // namespace microcloud::plugins::lxd
