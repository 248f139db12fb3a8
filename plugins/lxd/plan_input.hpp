// plugins/lxd/plan_input.hpp - reading the plan the host hands to the hooks: a member's entry in
// the preseed's systems and its local disk.
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <string>

namespace microcloud::plugins::lxd {

/// The preseed's systems[] entry named `member` (an empty object when there is none).
sdk::Json system_of(const sdk::Json& input, const std::string& member);

/// The local disk of `member` ({"path", "wipe"?, "source"?}): the host's choice in
/// input["disks"][member]["local"] when it names a path, else the preseed's
/// systems[member].storage.local; an empty object when neither names a disk.
sdk::Json local_disk(const sdk::Json& input, const std::string& member);

}  // namespace microcloud::plugins::lxd
