// plugins/ceph/osd_disks.cpp - judging this member's disks for OSDs.
#include "osd_disks.hpp"

#include <fstream>

namespace microcloud::plugins::ceph {

namespace {
// What bluestore writes at offset 0 of its block device.
constexpr std::string_view kBluestoreMagic = "bluestore block device";
}  // namespace

bool is_bluestore_label(std::string_view head) {
    return head.substr(0, kBluestoreMagic.size()) == kBluestoreMagic;
}

DiskProbe probe_disk(const std::string& device,
                     const std::function<std::optional<std::string>(const std::vector<std::string>&)>& run_blkid) {
    DiskProbe probe;
    std::ifstream in(device, std::ios::binary);
    std::string head(kBluestoreMagic.size(), '\0');
    if (in && in.read(head.data(), static_cast<std::streamsize>(head.size()))) probe.bluestore = is_bluestore_label(head);
    if (!probe.bluestore)
        if (auto type = run_blkid({"blkid", "-p", "-o", "value", "-s", "TYPE", device})) {
            std::string text = *type;
            while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
            probe.signature = text;
        }
    return probe;
}

sdk::Json judge_disk(const sdk::Json& disk, const DiskProbe& probe) {
    const std::size_t partitions = disk.value("partitions", sdk::Json::array()).size();
    std::string reason;
    if (disk.value("type", "") == "cdrom")
        reason = "it is a CD/DVD drive";
    else if (disk.value("read_only", false))
        reason = "it is read-only";
    else if (disk.value("in_use", false))
        reason = "it is in use: " + disk.value("in_use_reason", std::string("in use"));
    else if (probe.bluestore)
        reason = "it is already a Ceph OSD (bluestore label)";
    return {{"path", disk.value("path", "")},
            {"id", disk.value("id", "")},
            {"size", disk.value("size", 0)},
            {"type", disk.value("type", "")},
            {"qualifies", reason.empty()},
            {"reason", reason},
            {"wipe_needed", partitions > 0 || !probe.signature.empty()},
            {"signature", probe.signature},
            {"partitions", partitions}};
}

std::optional<sdk::Json> find_disk(const sdk::Json& disks, const std::string& path,
                                   const std::function<std::string(const std::string&)>& resolve) {
    const std::string target = resolve(path);
    for (const auto& disk : disks) {
        const std::string own = disk.value("path", "");
        const std::string id = disk.value("id", "");
        if (path == own || path == id || (!target.empty() && target == own)) return disk;
    }
    return std::nullopt;
}

}  // namespace microcloud::plugins::ceph
