// plugins/lxd/inventory.cpp - turns LXD's storage pool and network listings into short summaries.
#include "inventory.hpp"

#include <initializer_list>
#include <string>

namespace microcloud::plugins::lxd {
namespace {

using sdk::Json;

// "/1.0/networks/lxdbr0" -> "lxdbr0"
std::string last_segment(const std::string& url) {
    const auto slash = url.find_last_of('/');
    return slash == std::string::npos ? url : url.substr(slash + 1);
}

Json summarize_list(const Json& metadata, const char* what, std::initializer_list<const char*> keys) {
    if (metadata.is_null()) return Json::array();
    if (!metadata.is_array())
        throw sdk::Error("bad_response", std::string("LXD's list of ") + what + " is not an array");
    Json out = Json::array();
    for (const Json& entry : metadata) {
        if (entry.is_string()) {
            out.push_back(Json{{"name", last_segment(entry.get<std::string>())}});
            continue;
        }
        if (!entry.is_object()) continue;
        Json item{{"name", entry.value("name", "")}};
        for (const char* key : keys)
            if (auto it = entry.find(key); it != entry.end()) item[key] = *it;
        out.push_back(std::move(item));
    }
    return out;
}

}  // namespace

sdk::Json summarize_storage_pools(const sdk::Json& metadata) {
    return summarize_list(metadata, "storage pools", {"driver", "status"});
}

sdk::Json summarize_networks(const sdk::Json& metadata) {
    return summarize_list(metadata, "networks", {"type", "managed", "status"});
}

}  // namespace microcloud::plugins::lxd
