// plugins/lxd/plan_input.hpp - reading the plan the host hands to the hooks: a member's entry in
// the preseed's systems and its local disk.
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <string>

namespace microcloud::plugins::lxd {

/// The preseed's systems[] entry named `member` (an empty object when there is none).
sdk::Json system_of(const sdk::Json& input, const std::string& member);

/// systems[member].storage.local ({"path", "wipe"?}), or an empty object when it names no disk.
sdk::Json local_disk(const sdk::Json& input, const std::string& member);

}  // namespace microcloud::plugins::lxd
