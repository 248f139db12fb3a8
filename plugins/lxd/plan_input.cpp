// plugins/lxd/plan_input.cpp - tolerant lookups: the host checked the preseed's shape already.
#include "plan_input.hpp"

namespace microcloud::plugins::lxd {

using sdk::Json;

namespace {

Json object_at(const Json& from, const std::string& key) {
    if (!from.is_object()) return Json::object();
    auto it = from.find(key);
    return it != from.end() && it->is_object() ? *it : Json::object();
}

bool names_a_disk(const Json& disk) {
    return disk.is_object() && disk.contains("path") && disk["path"].is_string() &&
           !disk["path"].get<std::string>().empty();
}

}  // namespace

Json system_of(const Json& input, const std::string& member) {
    for (const Json& system : input.value("preseed", Json::object()).value("systems", Json::array()))
        if (system.is_object() && system.value("name", "") == member) return system;
    return Json::object();
}

Json local_disk(const Json& input, const std::string& member) {
    // The host's selection (explicit paths and storage.local filters) comes first.
    const Json chosen = object_at(object_at(object_at(input, "disks"), member), "local");
    if (names_a_disk(chosen)) return chosen;
    const Json preseed = object_at(object_at(system_of(input, member), "storage"), "local");
    return names_a_disk(preseed) ? preseed : Json::object();
}

}  // namespace microcloud::plugins::lxd
