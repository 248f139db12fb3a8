// plugins/lxd/envelope.hpp - unwraps LXD's response envelope (type, status_code, error, metadata).
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <string_view>

namespace microcloud::plugins::lxd {

/// The metadata of a successful LXD answer to `request` (e.g. "GET /1.0").
/// Throws sdk::Error("bad_response") when the body is not LXD's envelope and
/// sdk::Error("lxd_error") with LXD's own message when LXD reports a failure.
sdk::Json metadata_of(const sdk::HttpResponse& response, std::string_view request);

}  // namespace microcloud::plugins::lxd
