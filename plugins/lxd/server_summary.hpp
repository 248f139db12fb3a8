// plugins/lxd/server_summary.hpp - the discovery facts found in LXD's GET /1.0 answer.
#pragma once

#include <microcloud/sdk/plugin.hpp>

namespace microcloud::plugins::lxd {

/// Summarises the metadata of GET /1.0: version, clustered, server_name, api_extensions,
/// storage_drivers [{name, version, remote}] sorted by name, environment (driver, kernel, OS, firewall ...)
/// and server_config. Keys LXD did not send are left out.
sdk::Json summarize_server(const sdk::Json& metadata);

}  // namespace microcloud::plugins::lxd
