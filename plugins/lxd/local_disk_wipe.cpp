// plugins/lxd/local_disk_wipe.cpp - wipefs through the host, after the member's disk facts allow it.
#include "local_disk_wipe.hpp"

#include <algorithm>
#include <chrono>

namespace microcloud::plugins::lxd {

using sdk::Error;
using sdk::Json;

namespace {

std::string text_of(const Json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool is_disk(const Json& disk, const std::string& path) {
    if (!disk.is_object() || path.empty()) return false;
    const std::string by_path = text_of(disk, "device_path");
    return path == text_of(disk, "path") || path == text_of(disk, "id") ||
           (!text_of(disk, "name").empty() && path == "/dev/" + text_of(disk, "name")) ||
           (!by_path.empty() && path == "/dev/disk/by-path/" + by_path);
}

std::string in_use(const Json& device) {
    if (!device.value("in_use", false)) return "";
    const std::string why = text_of(device, "in_use_reason");
    return why.empty() ? "in use" : why;
}

}  // namespace

WipePlan plan_wipe(const Json& disks, const std::string& path) {
    WipePlan plan;
    const Json list = disks.is_array() ? disks : Json::array();
    auto disk = std::find_if(list.begin(), list.end(), [&](const Json& d) { return is_disk(d, path); });
    if (disk == list.end()) {
        plan.refusal = "it is not among this member's disks, so whether it is in use is unknown";
        return plan;
    }
    const Json partitions = disk->value("partitions", Json::array());
    for (const Json& partition : partitions)
        if (const std::string why = in_use(partition); !why.empty()) {
            plan.refusal = "its partition " + text_of(partition, "path") + " is in use (" + why + ")";
            return plan;
        }
    if (const std::string why = in_use(*disk); !why.empty()) {
        plan.refusal = "it is in use (" + why + ")";
        return plan;
    }
    // The partitions' own signatures first: wiping the disk's table leaves their contents behind.
    for (const Json& partition : partitions)
        if (const std::string part = text_of(partition, "path"); !part.empty())
            plan.commands.push_back({"wipefs", "-a", part});
    plan.commands.push_back({"wipefs", "-a", path});
    return plan;
}

void wipe_local_disk(const sdk::Context& ctx, const std::string& member, const std::string& path) {
    const std::string what = "the local disk " + path + " of " + member;
    const Json details{{"member", member}, {"path", path}};
    Json facts;
    try {
        facts = ctx.member_facts();
    } catch (const std::exception& e) {
        throw Error("wipe_refused", "lxd: refusing to wipe " + what + ": its disks cannot be read (" + e.what() + ")",
                    details);
    }
    const WipePlan plan = plan_wipe(facts.value("disks", Json::array()), path);
    if (!plan.refusal.empty()) {
        Json why = details;
        why["reason"] = plan.refusal;
        throw Error("wipe_refused", "lxd: refusing to wipe " + what + ": " + plan.refusal, why);
    }
    sdk::CommandOptions options;
    options.timeout = std::chrono::seconds(60);
    for (const auto& argv : plan.commands) {
        const sdk::CommandResult result = ctx.run(argv, options);
        if (result.ok()) continue;
        std::string command;
        for (const std::string& word : argv) command += (command.empty() ? "" : " ") + word;
        std::string said = result.timed_out ? "timed out" : result.err.empty() ? result.out : result.err;
        while (!said.empty() && (said.back() == '\n' || said.back() == ' ')) said.pop_back();
        throw Error("wipe_failed",
                    "lxd: could not wipe " + what + ": `" + command + "` exited " + std::to_string(result.exit_code) +
                        ": " + said,
                    details);
    }
}

}  // namespace microcloud::plugins::lxd
