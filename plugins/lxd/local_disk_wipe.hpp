// plugins/lxd/local_disk_wipe.hpp - the wipe of a member's local disk that LXD 5.0 cannot do
// itself (no storage_pool_source_wipe): what to wipe, and when to refuse, judged from the member's
// disk facts.
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <string>
#include <vector>

namespace microcloud::plugins::lxd {

/// What wiping `path` takes: `commands` to run in order (wipefs -a on each partition, then on the
/// disk), or `refusal` saying why the disk must not be wiped.
struct WipePlan {
    std::vector<std::vector<std::string>> commands;
    std::string refusal;  ///< empty when the wipe may go ahead
};

/// Judges `path` against `disks` (the member facts' disks array): refused when no disk there has
/// that path (by /dev path, by-id path or by-path path), when the disk or one of its partitions is
/// in use (mounted, swap, held), per their in_use/in_use_reason.
WipePlan plan_wipe(const sdk::Json& disks, const std::string& path);

/// Wipes `path`, `member`'s local disk, through the host (wipefs -a). Throws Error("wipe_refused")
/// naming member, path and reason when plan_wipe refuses or the member's disks cannot be read,
/// Error("wipe_failed") when a wipefs fails.
void wipe_local_disk(const sdk::Context& ctx, const std::string& member, const std::string& path);

}  // namespace microcloud::plugins::lxd
