// plugins/lxd/plan_input.cpp - tolerant lookups: the host checked the preseed's shape already.
#include "plan_input.hpp"

namespace microcloud::plugins::lxd {

using sdk::Json;

Json system_of(const Json& input, const std::string& member) {
    for (const Json& system : input.value("preseed", Json::object()).value("systems", Json::array()))
        if (system.is_object() && system.value("name", "") == member) return system;
    return Json::object();
}

Json local_disk(const Json& input, const std::string& member) {
    const Json storage = system_of(input, member).value("storage", Json::object());
    const Json local = storage.is_object() ? storage.value("local", Json::object()) : Json::object();
    return local.is_object() && local.contains("path") ? local : Json::object();
}

}  // namespace microcloud::plugins::lxd
