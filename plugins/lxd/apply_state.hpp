// plugins/lxd/apply_state.hpp - creates what desired_state asks for in the LXD cluster: pools and
// networks in two phases (each member with `target`, then cluster-wide), server keys, the default
// profile's devices. Idempotent: what exists already is left as it is.
#pragma once

#include "desired_state.hpp"
#include "lxd_api.hpp"

#include <functional>
#include <optional>
#include <vector>

namespace microcloud::plugins::lxd {

/// What apply_state changed, so that a failed run can take it back.
struct AppliedChanges {
    std::vector<Entity> created;                      ///< in creation order
    std::optional<sdk::Json> profile_devices_before;  ///< set once the profile was changed
};

/// Applies `state`, noting each change in `changes` as it is made; `say` reports each step.
/// Returns {"created": [...], "existing": [...], "profile_devices": {...}}.
sdk::Json apply_state(const LxdApi& api, const DesiredState& state, AppliedChanges& changes,
                      const std::function<void(const std::string&)>& say);

/// Takes back what `changes` records: the profile's devices as they were, then the created pools
/// and networks deleted in reverse order (already gone: fine). Returns the labels undone.
sdk::Json undo_changes(const LxdApi& api, const AppliedChanges& changes);

}  // namespace microcloud::plugins::lxd
