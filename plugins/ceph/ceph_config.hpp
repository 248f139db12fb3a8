// plugins/ceph/ceph_config.hpp - the Ceph plugin's configuration: where the cluster's files live on
// this member (config, daemon data, runtime, logs), the cluster name, how daemons are started.
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <optional>
#include <string>

namespace microcloud::plugins::ceph {

/// How the plugin starts and stops Ceph's daemons.
enum class ServiceManager {
    automatic,  ///< systemd when it runs here (/run/systemd/system), else direct
    systemd,    ///< the distribution's units: ceph-mon@ID, ceph-mgr@ID, ceph-osd@ID, ceph-mds@ID
    direct,     ///< the daemon programs themselves (they daemonize; pid files under run_dir)
};

struct CephConfig {
    std::string conf_dir{"/etc/ceph"};      // holds <cluster>.conf and keyrings
    std::string cluster{"ceph"};            // cluster name: <cluster>.conf, <cluster>-<id> data dirs
    std::string data_dir{"/var/lib/ceph"};  // holds mon/, mgr/, osd/, mds/ daemon data
    std::string run_dir{"/var/run/ceph"};   // admin sockets and pid files
    std::string log_dir{"/var/log/ceph"};   // daemon logs
    ServiceManager service_manager = ServiceManager::automatic;
    // Cluster-wide mon_data_avail_warn (percent of free space below which the monitors warn);
    // unset keeps Ceph's default (30).
    std::optional<int> mon_data_avail_warn{};
    // The librados the status hook asks the monitors through (a soname or a path); "" means the
    // `ceph` CLI only. When it cannot be loaded the CLI is used.
    std::string librados{"librados.so.2"};
};

// Reads the plugin's config section (a JSON object; null means empty); every key is optional.
// Throws sdk::Error("invalid_config") naming an unknown key or a bad value and what is accepted.
CephConfig parse_ceph_config(const sdk::Json& config);

// "auto", "systemd" or "direct".
std::string to_string(ServiceManager manager);

}  // namespace microcloud::plugins::ceph
