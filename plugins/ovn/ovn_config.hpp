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
    std::string ovn_dbdir;   // holds the NB/SB database files
    std::string ovn_logdir;  // holds the OVN daemons' log files
    std::string ovn_ctl;     // the distribution's ovn-ctl script, which starts and stops the daemons
    std::string pki_dir;     // the CA and this member's certificate and key for OVN's TLS
};

// Reads the plugin's config section (a JSON object; null means empty). Each key is optional:
// ovs_rundir falls back to $OVS_RUNDIR then /run/openvswitch, ovn_rundir to $OVN_RUNDIR then
// /run/ovn, ovn_dbdir to $OVN_DBDIR then /var/lib/ovn, ovn_logdir to $OVN_LOGDIR then
// /var/log/ovn, ovn_ctl to /usr/share/ovn/scripts/ovn-ctl, pki_dir to <ovn_dbdir>/microcloud-pki.
// Throws sdk::Error("invalid_config") naming an unknown key or a bad value.
OvnConfig parse_ovn_config(const sdk::Json& config, const EnvLookup& env = process_env);

}  // namespace microcloud::plugins::ovn
