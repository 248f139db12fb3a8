// plugins/lxd/service_status.hpp - the LXD plugin's status hook: this member's place in LXD's
// cluster (roles, status, URL) as `microcloud status` and `microcloud service list` show it.
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <functional>
#include <string>

namespace microcloud::plugins::lxd {

/// From LXD's GET /1.0 answer (`server`, the metadata) and a GET for further paths: {"running":
/// true, "version", "clustered", "summary"} and, when LXD is clustered, "server_name" and
/// "service": {"role" (LXD's roles, one per line), "status" (LXD's, e.g. "Online"), "address"
/// (the member's URL)}. A failing GET of the member is reported in "summary", not thrown.
sdk::Json service_status(const sdk::Json& server, const std::function<sdk::Json(const std::string&)>& get);

}  // namespace microcloud::plugins::lxd
