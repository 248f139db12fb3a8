// host/system/own_disks.cpp - keeping only a member's own disks in its facts.
#include "system/own_disks.hpp"

#include <algorithm>
#include <utility>

namespace microcloud::host::system {
namespace {

bool is_own(const nlohmann::json& disk, const std::vector<std::string>& own) {
    if (!disk.is_object()) return false;
    for (const char* key : {"path", "id"}) {
        const auto it = disk.find(key);
        if (it != disk.end() && it->is_string() &&
            std::find(own.begin(), own.end(), it->get<std::string>()) != own.end())
            return true;
    }
    return false;
}

}  // namespace

nlohmann::json keep_own_disks(nlohmann::json facts, const std::vector<std::string>& own) {
    if (!facts.is_object() || !facts.contains("disks") || !facts["disks"].is_array()) return facts;
    nlohmann::json kept = nlohmann::json::array();
    for (auto& disk : facts["disks"])
        if (is_own(disk, own)) kept.push_back(std::move(disk));
    facts["disks"] = std::move(kept);
    return facts;
}

std::vector<std::string> unknown_disks(const nlohmann::json& disks, const std::vector<std::string>& own) {
    std::vector<std::string> out;
    for (const std::string& path : own)
        if (!disks.is_array() ||
            std::none_of(disks.begin(), disks.end(), [&](const nlohmann::json& d) { return is_own(d, {path}); }))
            out.push_back(path);
    return out;
}

std::function<nlohmann::json()> own_disks_facts(std::vector<std::string> own, std::function<nlohmann::json()> collect) {
    return [own = std::move(own), collect = std::move(collect)] { return keep_own_disks(collect(), own); };
}

}  // namespace microcloud::host::system
