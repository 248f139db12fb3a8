// plugins/lxd/inventory.hpp - the storage pools and networks LXD already has, as discovery lists them.
#pragma once

#include <microcloud/sdk/plugin.hpp>

namespace microcloud::plugins::lxd {

/// From GET /1.0/storage-pools?recursion=1: [{name, driver, status}]. A plain list of URLs
/// (no recursion) gives [{name}].
sdk::Json summarize_storage_pools(const sdk::Json& metadata);

/// From GET /1.0/networks?recursion=1: [{name, type, managed, status}]. A plain list of URLs
/// (no recursion) gives [{name}].
sdk::Json summarize_networks(const sdk::Json& metadata);

}  // namespace microcloud::plugins::lxd
