// host/system/block_usage.cpp - reading mounts, swaps and holders to tell whether devices are in use.
#include "system/block_usage.hpp"

#include "common/error.hpp"
#include "system/sysfs.hpp"

#include <sstream>
#include <string_view>

namespace microcloud::host::system {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kDevPrefix = "/dev/";
constexpr int kMaxLinkHops = 8;

// Mount tables write space, tab, newline and backslash as \ooo.
std::string unescape_octal(const std::string& field) {
    auto is_octal = [](char c) { return c >= '0' && c <= '7'; };
    std::string out;
    for (std::size_t i = 0; i < field.size(); ++i) {
        const bool escape = field[i] == '\\' && i + 3 < field.size() && is_octal(field[i + 1]) &&
                            is_octal(field[i + 2]) && is_octal(field[i + 3]);
        if (!escape) {
            out += field[i];
            continue;
        }
        out += static_cast<char>((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 + (field[i + 3] - '0'));
        i += 3;
    }
    return out;
}

}  // namespace

std::string device_name(const std::string& device, const fs::path& dev_root) {
    if (!device.starts_with(kDevPrefix)) return {};
    // Follow links such as /dev/mapper/NAME -> ../dm-0 lexically, so dangling ones resolve too.
    fs::path current = dev_root / device.substr(kDevPrefix.size());
    for (int hop = 0; hop < kMaxLinkHops; ++hop) {
        std::error_code ec;
        auto target = fs::read_symlink(current, ec);
        if (ec) break;
        current = (target.is_absolute() ? target : current.parent_path() / target).lexically_normal();
    }
    return current.filename().string();
}

void add_mounts(BlockUsage& usage, const std::string& mounts, const fs::path& dev_root) {
    std::istringstream lines(mounts);
    for (std::string line; std::getline(lines, line);) {
        std::istringstream fields(line);
        std::string source, target;
        if (!(fields >> source >> target)) continue;
        auto name = device_name(unescape_octal(source), dev_root);
        if (name.empty()) continue;
        usage.mounted_at.emplace(name, unescape_octal(target));  // keeps the first mount point
    }
}

void add_swaps(BlockUsage& usage, const std::string& swaps, const fs::path& dev_root) {
    std::istringstream lines(swaps);
    for (std::string line; std::getline(lines, line);) {
        std::istringstream fields(line);
        std::string file, type;
        if (!(fields >> file >> type) || type != "partition") continue;
        auto name = device_name(unescape_octal(file), dev_root);
        if (!name.empty()) usage.swap.insert(name);
    }
}

BlockUsage read_block_usage(const FactsRoots& roots) {
    BlockUsage usage;
    auto mounts = read_whole_file(roots.proc / "mounts");
    if (!mounts) mounts = read_whole_file(roots.proc / "self" / "mounts");
    if (!mounts)
        throw Error("system_facts_unreadable",
                    "Cannot tell which disks are in use: neither '" + (roots.proc / "mounts").string() + "' nor '" +
                        (roots.proc / "self" / "mounts").string() + "' is readable",
                    {{"path", (roots.proc / "mounts").string()}});
    add_mounts(usage, *mounts, roots.dev);
    if (auto swaps = read_whole_file(roots.proc / "swaps")) add_swaps(usage, *swaps, roots.dev);
    return usage;
}

std::string usage_reason(const BlockUsage& usage, const fs::path& dir, const std::string& name) {
    if (auto mount = usage.mounted_at.find(name); mount != usage.mounted_at.end()) return "mounted at " + mount->second;
    if (usage.swap.contains(name)) return "used as swap";
    std::string holders;
    for (const auto& holder : entry_names(dir / "holders")) holders += (holders.empty() ? "" : ", ") + holder;
    if (!holders.empty()) return "held by " + holders;
    return {};
}

}  // namespace microcloud::host::system
