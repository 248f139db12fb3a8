// plugins/lxd/apply_state.hpp - creates what desired_state asks for in the LXD cluster: pools and
// networks in two phases (each member with `target`, then cluster-wide), server keys, the default
// profile's devices. Idempotent: what exists already is left as it is.
#pragma once

#include "desired_state.hpp"
#include "lxd_api.hpp"

#include <functional>

namespace microcloud::plugins::lxd {

/// Applies `state`; `say` reports each step. Returns {"created": [...], "existing": [...]}.
sdk::Json apply_state(const LxdApi& api, const DesiredState& state, const std::function<void(const std::string&)>& say);

}  // namespace microcloud::plugins::lxd
