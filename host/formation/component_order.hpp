// host/formation/component_order.hpp - the order in which component plugins act during formation:
// waves from the manifests' `after` lists (a plugin runs after every plugin it names that takes
// part); the plugins of one wave run in parallel.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace microcloud::host::formation {

// `after`: plugin name -> the names it must follow (names not taking part are ignored). Waves are
// sorted by name. Throws Error("invalid_plugin_order") naming the plugins caught in a cycle.
std::vector<std::vector<std::string>> plan_waves(const std::map<std::string, std::vector<std::string>>& after);

}  // namespace microcloud::host::formation
