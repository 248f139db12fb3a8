// plugins/ovn/ovn_config.hpp - the OVN plugin's configuration: run directories of OVS and OVN.
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <functional>
#include <optional>
#include <string>

namespace microcloud::plugins::ovn {

// Looks up an environment variable; nullopt when unset. Injected so tests need no real environment.
using EnvLookup = std::function<std::optional<std::string>(const char* name)>;

// The process environment (getenv).
std::optional<std::string> process_env(const char* name);

struct OvnConfig {
    std::string ovs_rundir;  // holds db.sock and the OVS daemons' pid files
    std::string ovn_rundir;  // holds the OVN daemons' pid files and NB/SB sockets
};

// Reads the plugin's config section (a JSON object; null means empty). Each key is optional:
// ovs_rundir falls back to $OVS_RUNDIR then /run/openvswitch, ovn_rundir to $OVN_RUNDIR then
// /run/ovn. Throws sdk::Error("invalid_config") naming an unknown key or a bad value.
OvnConfig parse_ovn_config(const sdk::Json& config, const EnvLookup& env = process_env);

}  // namespace microcloud::plugins::ovn
