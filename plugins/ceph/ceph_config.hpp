// plugins/ceph/ceph_config.hpp - the Ceph plugin's configuration: config/data directories and
// cluster name.
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <string>

namespace microcloud::plugins::ceph {

struct CephConfig {
    std::string conf_dir{"/etc/ceph"};      // holds <cluster>.conf and keyrings
    std::string cluster{"ceph"};            // cluster name: <cluster>.conf, <cluster>-<id> data dirs
    std::string data_dir{"/var/lib/ceph"};  // holds mon/, mgr/, osd/ daemon data
};

// Reads the plugin's config section (a JSON object; null means empty); every key is optional.
// Throws sdk::Error("invalid_config") naming an unknown key or a bad value and what is accepted.
CephConfig parse_ceph_config(const sdk::Json& config);

}  // namespace microcloud::plugins::ceph
