// host/discovery/announcement.cpp - encoding, parsing and version checking of discovery messages.
#include "discovery/announcement.hpp"

#include "common/error.hpp"

#include <nlohmann/json.hpp>

namespace microcloud::host::discovery {

namespace {

using nlohmann::json;

// Go's %q for the strings we print: a double-quoted, escaped string.
std::string go_quoted(std::string_view text) {
    return json(std::string(text)).dump(-1, ' ', false, json::error_handler_t::replace);
}

[[noreturn]] void invalid(const std::string& what, const std::string& field) {
    throw Error("discovery_invalid_message", "Invalid discovery message: " + what, {{"field", field}});
}

json parse_object(std::string_view text) {
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded()) invalid("not valid JSON", "");
    if (!doc.is_object()) invalid(std::string("expected a JSON object, got ") + doc.type_name(), "");
    return doc;
}

std::string required_string(const json& doc, const std::string& field) {
    const auto it = doc.find(field);
    if (it == doc.end()) invalid("field " + go_quoted(field) + " is missing", field);
    if (!it->is_string()) invalid("field " + go_quoted(field) + " must be a string, got " + it->type_name(), field);
    return it->get<std::string>();
}

std::map<std::string, std::string> services_of(const json& doc) {
    std::map<std::string, std::string> services;
    const auto it = doc.find("services");
    if (it == doc.end() || it->is_null()) return services;
    if (!it->is_object())
        invalid(std::string("field \"services\" must be an object, got ") + it->type_name(), "services");
    for (const auto& [name, version] : it->items()) {
        const std::string field = "services." + name;
        if (!version.is_string())
            invalid("field " + go_quoted(field) + " must be a string, got " + version.type_name(), field);
        services.emplace(name, version.get<std::string>());
    }
    return services;
}

}  // namespace

std::string encode_probe(const Probe& probe) {
    return json{{"version", probe.version}}.dump();
}

std::string encode_server_info(const ServerInfo& info) {
    return json{{"version", info.version},
                {"name", info.name},
                {"address", info.address},
                {"fingerprint", info.fingerprint},
                {"services", info.services}}
        .dump();
}

Probe parse_probe(std::string_view text) {
    const json doc = parse_object(text);
    return Probe{required_string(doc, "version")};
}

ServerInfo parse_server_info(std::string_view text) {
    const json doc = parse_object(text);
    ServerInfo info;
    info.version = required_string(doc, "version");
    info.name = required_string(doc, "name");
    info.address = required_string(doc, "address");
    info.fingerprint = required_string(doc, "fingerprint");
    info.services = services_of(doc);
    return info;
}

std::string version_mismatch_message(std::string_view name, std::string_view version, std::string_view expected) {
    return "System " + go_quoted(name) + " (version " + go_quoted(version) + ") has a version mismatch: Expected " +
           go_quoted(expected);
}

void check_version(const ServerInfo& info, std::string_view expected) {
    if (info.version == expected) return;
    throw Error("discovery_version_mismatch", version_mismatch_message(info.name, info.version, expected),
                {{"name", info.name},
                 {"address", info.address},
                 {"version", info.version},
                 {"expected", std::string(expected)}});
}

}  // namespace microcloud::host::discovery
