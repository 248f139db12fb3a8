// plugins/ovn/ovsdb_json.cpp - OVSDB JSON datums and select rows turned into plain JSON.
#include "ovsdb_json.hpp"

namespace microcloud::plugins::ovn {
namespace {

using sdk::Json;

// ["<tag>", payload] as OVSDB writes typed values.
bool tagged(const Json& datum, const char* tag) {
    return datum.is_array() && datum.size() == 2 && datum[0].is_string() && datum[0] == tag;
}

std::string key_text(const Json& key) {
    return key.is_string() ? key.get<std::string>() : plain_datum(key).dump();
}

}  // namespace

Json plain_datum(const Json& datum) {
    if (tagged(datum, "uuid") || tagged(datum, "named-uuid")) return datum[1];
    if (tagged(datum, "set") && datum[1].is_array()) {
        Json out = Json::array();
        for (const auto& item : datum[1]) out.push_back(plain_datum(item));
        return out;
    }
    if (tagged(datum, "map") && datum[1].is_array()) {
        Json out = Json::object();
        for (const auto& pair : datum[1])
            if (pair.is_array() && pair.size() == 2) out[key_text(plain_datum(pair[0]))] = plain_datum(pair[1]);
        return out;
    }
    return datum;
}

Json plain_row(const Json& row) {
    Json plain = Json::object();
    if (row.is_object())
        for (const auto& [column, datum] : row.items()) plain[column] = plain_datum(datum);
    return plain;
}

std::vector<std::string> string_list(const Json& value) {
    std::vector<std::string> out;
    if (value.is_string()) out.push_back(value.get<std::string>());
    if (value.is_array())
        for (const auto& item : value)
            if (item.is_string()) out.push_back(item.get<std::string>());
    return out;
}

Json chassis_settings(const Json& external_ids) {
    Json out = Json::object();
    for (const char* key : kChassisKeys) {
        const bool has = external_ids.is_object() && external_ids.contains(key) && external_ids.at(key).is_string();
        out[key] = has ? external_ids.at(key) : Json(nullptr);
    }
    return out;
}

}  // namespace microcloud::plugins::ovn
