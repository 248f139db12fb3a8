// plugins/lxd/apply_state.hpp - creates what desired_state asks for in the LXD cluster: pools and
// networks in two phases (each member with `target`, then cluster-wide, then their after_create
// keys), server keys, the default profile's devices. Idempotent: what exists already is left as it is.
#pragma once

#include "desired_state.hpp"
#include "lxd_api.hpp"

#include <functional>
#include <optional>
#include <vector>

namespace microcloud::plugins::lxd {

/// What apply_state changed, so that a failed run can take it back.
struct AppliedChanges {
    std::vector<Entity> created;                           ///< in creation order
    std::optional<sdk::Json> profile_devices_before;       ///< set once the profile was changed
    sdk::Json server_config_before = sdk::Json::object();  ///< server keys changed -> previous value
};

/// Applies `state`, noting each change in `changes` as it is made; `say` reports each step. The
/// profile's devices are set as planned when `replace_devices` (a new cluster), otherwise only
/// added where missing (a grown cluster keeps what its operator chose).
/// Returns {"created": [...], "existing": [...], "profile_devices": {...}}.
sdk::Json apply_state(const LxdApi& api, const DesiredState& state, bool replace_devices, AppliedChanges& changes,
                      const std::function<void(const std::string&)>& say);

/// Takes back what `changes` records, each step whatever the others did: the profile's devices as
/// they were, the created pools and networks deleted in reverse order (their after_create keys set
/// again first, so that `remote` leaves the Ceph pool alone; already gone: fine), the
/// server keys as they were. Returns {"undone": [labels], "failed": ["label: why"]}.
sdk::Json undo_changes(const LxdApi& api, const AppliedChanges& changes);

}  // namespace microcloud::plugins::lxd
