// host/system/disks.hpp - block devices from <sys>/block that could hold data, with their partitions.
#pragma once

#include "system/block_usage.hpp"
#include "system/facts.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>

namespace microcloud::host::system {

// hdd|ssd|loop|cdrom|nvme for the device `name` with sysfs directory `dir`.
std::string disk_type(const std::filesystem::path& dir, const std::string& name);

// Kernel name -> "/dev/disk/by-id/ENTRY" for the entries under <dev>/disk/by-id; when several
// point at one device the first in sorted order wins.
std::map<std::string, std::string> disk_ids(const std::filesystem::path& dev_root);

// Every disk under <sys>/block given what is in use; skips ram*, zram*, hidden devices and loop
// devices without a backing file. Throws Error ("system_facts_unreadable") when <sys>/block is
// missing.
nlohmann::json read_disks(const FactsRoots& roots, const BlockUsage& usage);

}  // namespace microcloud::host::system
