// host/system/block_usage.hpp - whether a block device is in use: mounted, swap, or held by another.
#pragma once

#include "system/facts.hpp"

#include <filesystem>
#include <map>
#include <set>
#include <string>

namespace microcloud::host::system {

// Mounted and swap devices by kernel name ("vda1", "dm-0").
struct BlockUsage {
    std::map<std::string, std::string> mounted_at;  // first mount point of each device
    std::set<std::string> swap;
};

// The kernel name of a device path such as "/dev/vda1" or "/dev/mapper/vg-lv" (symlinks are
// followed inside `dev_root`); "" when `device` is not under /dev.
std::string device_name(const std::string& device, const std::filesystem::path& dev_root);

// Reads the text of a mounts table (fstab format, octal escapes) into `usage`.
void add_mounts(BlockUsage& usage, const std::string& mounts, const std::filesystem::path& dev_root);

// Reads the text of /proc/swaps into `usage`; swap files are ignored.
void add_swaps(BlockUsage& usage, const std::string& swaps, const std::filesystem::path& dev_root);

// From <proc>/mounts (or <proc>/self/mounts) and <proc>/swaps. Throws Error
// ("system_facts_unreadable") when no mounts table can be read, since then nothing is known.
BlockUsage read_block_usage(const FactsRoots& roots);

// Why the device `name` with sysfs directory `dir` is in use ("mounted at /", "used as swap",
// "held by dm-0"); "" when it is not.
std::string usage_reason(const BlockUsage& usage, const std::filesystem::path& dir, const std::string& name);

}  // namespace microcloud::host::system
