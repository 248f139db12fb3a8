// plugins/lxd/member_resources.hpp - the disks and interfaces of this member a plan may use,
// summarised from the host's member facts for the discover report.
#pragma once

#include <microcloud/sdk/plugin.hpp>

namespace microcloud::plugins::lxd {

/// {"disks": [{path, id, name, type, size, in_use, in_use_reason, partitions}],
///  "interfaces": [{name, type, state, bridge, master, global_address}]} from member facts.
sdk::Json member_resources(const sdk::Json& facts);

}  // namespace microcloud::plugins::lxd
