// plugins/ceph/cluster_files.hpp - what an existing Ceph cluster left on this member: the
// <cluster>.conf, the admin keyring, and daemon data directories under the data dir.
#pragma once

#include "ceph_conf.hpp"
#include "ceph_config.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace microcloud::plugins::ceph {

struct ClusterFiles {
    std::string conf_path;  // <conf_dir>/<cluster>.conf
    bool conf_exists = false;
    std::string conf_read_error;   // set when it exists but cannot be read
    std::optional<CephConf> conf;  // parsed, when read
    std::vector<std::string> keyring_candidates;
    std::string keyring_path;                                    // first candidate that exists ("" when none)
    std::map<std::string, std::vector<std::string>> daemon_ids;  // "mon"/"mgr"/"osd" -> ids
};

// Where the client.admin keyring may be, in Ceph's order: the conf's `keyring` option (in
// [client.admin], [client] or [global]; comma-separated; $cluster and $name expanded), else
// <conf_dir>/<cluster>.client.admin.keyring, <cluster>.keyring, keyring, keyring.bin.
std::vector<std::string> keyring_candidates(const CephConfig& config, const std::optional<CephConf>& conf);

// The daemon ids among directory entries named "<cluster>-<id>", sorted.
std::vector<std::string> daemon_ids(const std::vector<std::string>& entries, const std::string& cluster);

// The monitor addresses: [global] mon_host, else the mon_addr of each [mon.<id>] section
// joined by ','. "" when neither is set.
std::string monitor_addresses(const CephConf& conf);

// Reads the files for `config` (read-only; absent files are facts, not errors).
ClusterFiles read_cluster_files(const CephConfig& config);

}  // namespace microcloud::plugins::ceph
