// plugins/ceph/osd_disks.hpp - which of this member's disks may become an OSD: from the member's
// facts (whole disk, writable, not in use) and what is written at its start (a bluestore label,
// another signature). Pure judgement over facts and probes; the probes themselves are cheap reads.
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <functional>
#include <optional>
#include <string>

namespace microcloud::plugins::ceph {

/// What is written at the start of a disk.
struct DiskProbe {
    bool bluestore = false;  ///< a bluestore label: the disk is (or was) a Ceph OSD
    std::string signature;   ///< blkid's TYPE of another signature ("" when none found)
};

/// Reads a disk's start: the bluestore label by reading its first bytes, other signatures
/// through `blkid -p`. `run_blkid` runs blkid's argv and answers its stdout (nullopt when blkid
/// found nothing or could not run).
DiskProbe probe_disk(const std::string& device,
                     const std::function<std::optional<std::string>(const std::vector<std::string>&)>& run_blkid);

/// True when `head` (a disk's first bytes) is a bluestore label.
bool is_bluestore_label(std::string_view head);

/// One disk of the facts judged for Ceph: {"path", "id", "size", "type", "qualifies", "reason"
/// (why not, "" when it does), "wipe_needed" (partitions or a signature), "signature",
/// "partitions": N}.
sdk::Json judge_disk(const sdk::Json& disk, const DiskProbe& probe);

/// The disk among `disks` (a discover report's judged list) that `path` names (its /dev path or
/// its by-id path, or the same device through a /dev/disk/by-* link as resolved by `resolve`).
std::optional<sdk::Json> find_disk(const sdk::Json& disks, const std::string& path,
                                   const std::function<std::string(const std::string&)>& resolve);

}  // namespace microcloud::plugins::ceph
