// host/system/disks.cpp - describing the block devices under <sys>/block and their partitions.
#include "system/disks.hpp"

#include "common/error.hpp"
#include "system/sysfs.hpp"

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <utility>
#include <vector>

namespace microcloud::host::system {

namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kSectorBytes = 512;
constexpr const char* kScsiTypeRom = "5";

bool is_skipped_name(const std::string& name) {
    return name.starts_with("ram") || name.starts_with("zram");
}

std::int64_t size_in_bytes(const fs::path& dir) {
    return read_integer(dir / "size").value_or(0) * kSectorBytes;
}

// The first readable of the attribute files, or "".
std::string first_attribute(std::initializer_list<fs::path> files) {
    for (const auto& file : files)
        if (auto text = read_attribute(file); text && !text->empty()) return *text;
    return {};
}

struct Partition {
    std::int64_t number = 0;
    nlohmann::json facts;
};

std::vector<Partition> read_partitions(const fs::path& disk_dir, const BlockUsage& usage) {
    std::vector<Partition> out;
    for (const auto& name : entry_names(disk_dir)) {
        const fs::path dir = disk_dir / name;
        auto number = read_integer(dir / "partition");
        if (!number) continue;
        const std::string reason = usage_reason(usage, dir, name);
        out.push_back({*number,
                       {{"name", name},
                        {"path", "/dev/" + name},
                        {"size", size_in_bytes(dir)},
                        {"in_use", !reason.empty()},
                        {"in_use_reason", reason}}});
    }
    std::sort(out.begin(), out.end(), [](const Partition& a, const Partition& b) { return a.number < b.number; });
    return out;
}

// The disk's own use, else the first partition in use.
std::string disk_usage_reason(const BlockUsage& usage, const fs::path& dir, const std::string& name,
                              const std::vector<Partition>& partitions) {
    auto reason = usage_reason(usage, dir, name);
    if (!reason.empty()) return reason;
    for (const auto& partition : partitions)
        if (partition.facts["in_use"].get<bool>())
            return "partition " + partition.facts["name"].get<std::string>() +
                   " is in use: " + partition.facts["in_use_reason"].get<std::string>();
    return {};
}

nlohmann::json read_disk(const fs::path& dir, const std::string& name, const std::string& backing_file,
                         const std::map<std::string, std::string>& ids, const BlockUsage& usage) {
    const std::string path = "/dev/" + name;
    auto partitions = read_partitions(dir, usage);
    const std::string reason = disk_usage_reason(usage, dir, name, partitions);
    auto partition_list = nlohmann::json::array();
    for (auto& partition : partitions) partition_list.push_back(std::move(partition.facts));
    auto id = ids.find(name);
    return {
        {"name", name},
        {"path", path},
        {"id", id != ids.end() ? id->second : path},
        {"size", size_in_bytes(dir)},
        {"model", first_attribute({dir / "device" / "model"})},
        {"vendor", first_attribute({dir / "device" / "vendor"})},
        {"serial", first_attribute({dir / "device" / "serial", dir / "serial"})},
        {"type", disk_type(dir, name)},
        {"removable", attribute_is_set(dir / "removable")},
        {"read_only", attribute_is_set(dir / "ro")},
        {"backing_file", backing_file},
        {"partitions", std::move(partition_list)},
        {"in_use", !reason.empty()},
        {"in_use_reason", reason},
    };
}

}  // namespace

std::string disk_type(const fs::path& dir, const std::string& name) {
    if (name.starts_with("loop")) return "loop";
    if (name.starts_with("nvme")) return "nvme";
    if (name.starts_with("sr") || read_attribute(dir / "device" / "type") == kScsiTypeRom) return "cdrom";
    if (read_attribute(dir / "queue" / "rotational") == "0") return "ssd";
    return "hdd";
}

std::map<std::string, std::string> disk_ids(const fs::path& dev_root) {
    std::map<std::string, std::string> ids;
    const fs::path by_id = dev_root / "disk" / "by-id";
    for (const auto& entry : entry_names(by_id)) {
        auto target = link_target_name(by_id / entry);
        if (!target.empty()) ids.emplace(target, "/dev/disk/by-id/" + entry);
    }
    return ids;
}

nlohmann::json read_disks(const FactsRoots& roots, const BlockUsage& usage) {
    const fs::path block = roots.sys / "block";
    if (!directory_exists(block))
        throw Error("system_facts_unreadable",
                    "Cannot list disks: '" + block.string() + "' is missing; expected sysfs mounted at '" +
                        roots.sys.string() + "'",
                    {{"path", block.string()}});
    const auto ids = disk_ids(roots.dev);
    auto out = nlohmann::json::array();
    for (const auto& name : entry_names(block)) {
        const fs::path dir = block / name;
        if (is_skipped_name(name) || attribute_is_set(dir / "hidden")) continue;
        std::string backing_file;
        if (name.starts_with("loop")) {
            backing_file = read_attribute_or(dir / "loop" / "backing_file", "");
            if (backing_file.empty()) continue;  // an unattached loop device
        }
        out.push_back(read_disk(dir, name, backing_file, ids, usage));
    }
    return out;
}

nlohmann::json collect_disks(const FactsRoots& roots) {
    return read_disks(roots, read_block_usage(roots));
}

}  // namespace microcloud::host::system
