// plugins/ovn/ovn_daemons.hpp - the command lines that run OVN's daemons through the
// distribution's ovn-ctl script with this member's directories and TLS files, and the readers of
// what the daemons answer (pure: no I/O).
#pragma once

#include "ovn_config.hpp"
#include "ovn_topology.hpp"

#include <microcloud/sdk/plugin.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace microcloud::plugins::ovn {

/// The TLS files of one member (all PEM): the CA, and the member's certificate and key.
struct PkiFiles {
    std::string ca_cert, ca_key, cert, key;
};

/// The files under `pki_dir`: ca.crt, ca.key, ovn.crt, ovn.key.
PkiFiles pki_files(const std::string& pki_dir);

/// Which of OVN's two central databases.
enum class Database { northbound, southbound };

/// "OVN_Northbound" / "OVN_Southbound".
const char* schema_name(Database db);

/// The database file, its unixctl socket and its client socket in this member's directories.
std::string database_file(const OvnConfig& config, Database db);
std::string database_control(const OvnConfig& config, Database db);
std::string database_socket(const OvnConfig& config, Database db);

/// The environment ovn-ctl and the OVN tools run with: this member's run, db and log dirs.
std::map<std::string, std::string> ovn_environment(const OvnConfig& config);

/// ovn-ctl start_nb_ovsdb / start_sb_ovsdb: a raft member listening for raft on `local_ip` over
/// TLS; with `join_ip` it joins the cluster through that central, else it creates the cluster.
std::vector<std::string> start_database_argv(const OvnConfig& config, Database db, const std::string& local_ip,
                                             const std::optional<std::string>& join_ip);

/// ovn-ctl start_northd, the databases managed separately, connected to every central over TLS.
std::vector<std::string> start_northd_argv(const OvnConfig& config, const std::vector<Central>& centrals);

/// ovn-ctl start_controller with this member's TLS files (ovn-remote comes from OVS's database).
std::vector<std::string> start_controller_argv(const OvnConfig& config);

/// ovn-ctl stop_<what>: "nb_ovsdb", "sb_ovsdb", "northd" or "controller".
std::vector<std::string> stop_argv(const OvnConfig& config, const std::string& what);

/// The external_ids MicroCloud sets in OVS's Open_vSwitch row for `member`.
std::map<std::string, std::string> chassis_external_ids(const std::string& member, const std::vector<Central>& centrals,
                                                        const std::string& encap_ip, bool userspace_datapath);

/// What `ovs-appctl cluster/status DB` says of this server.
struct RaftStatus {
    std::string status;  ///< "cluster member", "joining cluster", "left cluster", ...
    std::string role;    ///< "leader", "follower", "candidate"
    std::string leader;  ///< "self", a server id, or "unknown"
    std::vector<std::string> servers;  ///< the servers' addresses ("ssl:IP:PORT")
};

/// Reads cluster/status output; nullopt when it has no "Status:" line.
std::optional<RaftStatus> parse_raft_status(const std::string& text);

}  // namespace microcloud::plugins::ovn
