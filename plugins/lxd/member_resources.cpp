// plugins/lxd/member_resources.cpp - keeps the facts the plan rules judge disks and uplinks by.
#include "member_resources.hpp"

namespace microcloud::plugins::lxd {

using sdk::Json;

namespace {

Json pick(const Json& from, std::initializer_list<const char*> keys) {
    Json out = Json::object();
    for (const char* key : keys)
        if (auto it = from.find(key); it != from.end()) out[key] = *it;
    return out;
}

bool has_global_address(const Json& interface) {
    for (const Json& address : interface.value("addresses", Json::array()))
        if (address.value("scope", "") == "global") return true;
    return false;
}

}  // namespace

Json member_resources(const Json& facts) {
    Json out{{"disks", Json::array()}, {"interfaces", Json::array()}};
    for (const Json& disk : facts.value("disks", Json::array()))
        if (disk.is_object())
            out["disks"].push_back(
                pick(disk, {"path", "id", "name", "type", "size", "in_use", "in_use_reason", "partitions"}));
    for (const Json& interface : facts.value("interfaces", Json::array())) {
        if (!interface.is_object() || interface.value("type", "") == "loopback") continue;
        Json item = pick(interface, {"name", "type", "state", "bridge", "master"});
        item["global_address"] = has_global_address(interface);
        out["interfaces"].push_back(std::move(item));
    }
    return out;
}

}  // namespace microcloud::plugins::lxd
