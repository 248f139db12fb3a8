// plugins/ceph/ceph_layout.hpp - where a member's Ceph files are (config, keyrings, daemon data,
// pid files) and the ceph.conf MicroCloud writes for it (pure: no I/O).
#pragma once

#include "ceph_config.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace microcloud::plugins::ceph {

/// Paths of one member's cluster files under the plugin's configured directories.
struct Layout {
    std::string conf;                   ///< <conf_dir>/<cluster>.conf
    std::string admin_keyring;          ///< <conf_dir>/<cluster>.client.admin.keyring
    std::string bootstrap_osd_keyring;  ///< <conf_dir>/<cluster>.client.bootstrap-osd.keyring
    std::string marker;                 ///< <conf_dir>/microcloud.json: MicroCloud formed Ceph here

    /// <data_dir>/<kind>/<cluster>-<id>, e.g. /var/lib/ceph/mon/ceph-m1.
    std::string daemon_dir(const std::string& kind, const std::string& id) const;
    /// The pid file a directly started daemon writes: <run_dir>/<cluster>-<kind>.<id>.pid.
    std::string pid_file(const std::string& kind, const std::string& id) const;
    /// <data_dir>/<kind>: the parent of that kind's daemon directories.
    std::string kind_dir(const std::string& kind) const;

    std::string cluster, data_dir, run_dir;
};

Layout layout_of(const CephConfig& config);

/// What goes into a member's ceph.conf.
struct ConfSettings {
    std::string fsid;
    std::vector<std::string> mon_hosts;  ///< the monitors' public IP addresses
    std::string public_network;          ///< CIDR
    std::string cluster_network;         ///< CIDR
    std::string member;                  ///< CRUSH host of this member's OSDs
    std::uint64_t osd_memory_target = 0; ///< bytes; 0 leaves Ceph's default
};

/// The ceph.conf text: [global] fsid, mon_host, networks, cephx everywhere, the address family
/// the public network has, this member's paths (run, log, crash, daemon data); pid files and admin
/// sockets per daemon; the OSDs' CRUSH location (host=<member>, since members may share a
/// hostname) and memory target; clients' keyrings in conf_dir.
std::string render_conf(const CephConfig& config, const ConfSettings& settings);

/// The memory target of each OSD on a machine with `mem_total` bytes and `osds` OSDs: an eighth
/// of the memory shared among them, at least Ceph's minimum (896 MiB), at most its default (4 GiB).
std::uint64_t osd_memory_target(std::uint64_t mem_total, std::size_t osds);

/// Ceph's `mon_host` value for the monitors' addresses (IPv6 ones bracketed).
std::string mon_host_value(const std::vector<std::string>& addresses);

}  // namespace microcloud::plugins::ceph
