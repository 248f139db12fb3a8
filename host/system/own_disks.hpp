// host/system/own_disks.hpp - a member's facts confined to its own disks (microcloudd's config key
// `disks`), for machines that share one kernel and so see each other's block devices (the lab).
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

namespace microcloud::host::system {

// `facts` (as collect_facts gives them) with only the disks whose "path" or "id" (by-id path) is
// one of `own`; every other key untouched. Facts without a disks array are returned as they are.
nlohmann::json keep_own_disks(nlohmann::json facts, const std::vector<std::string>& own);

// Which of `own` name no disk of `disks` (a collect_disks array): what a config names in vain.
std::vector<std::string> unknown_disks(const nlohmann::json& disks, const std::vector<std::string>& own);

// A facts provider answering `collect()`'s facts confined to `own`.
std::function<nlohmann::json()> own_disks_facts(std::vector<std::string> own, std::function<nlohmann::json()> collect);

}  // namespace microcloud::host::system
