// host/formation/session_messages.cpp - sealing and opening trust-session messages.
#include "formation/session_messages.hpp"

#include "common/error.hpp"

namespace microcloud::host::formation {
namespace {

std::string text_field(const nlohmann::json& payload, const char* field) {
    if (!payload.contains(field) || !payload[field].is_string() || payload[field].get<std::string>().empty())
        throw Error("invalid_request", std::string("The session message lacks the field \"") + field + "\"",
                    {{"field", field}});
    return payload[field].get<std::string>();
}

}  // namespace

std::string seal(const trust::JoinKey& key, nlohmann::json payload) {
    const std::string text = trust::stamp_join_body(std::move(payload)).dump();
    return nlohmann::json{{"payload", text}, {"mac", trust::sign(key, text)}}.dump();
}

nlohmann::json open_sealed(const trust::JoinKey& key, const std::string& envelope, trust::FreshnessGuard& guard) {
    const nlohmann::json outer = nlohmann::json::parse(envelope, nullptr, false);
    if (!outer.is_object() || !outer.contains("payload") || !outer["payload"].is_string() || !outer.contains("mac") ||
        !outer["mac"].is_string())
        throw Error("invalid_request", "A session message must be {\"payload\": text, \"mac\": hex}");
    const std::string text = outer["payload"].get<std::string>();
    if (!trust::verify(key, text, outer["mac"].get<std::string>()))
        throw Error("session_wrong_passphrase", "Invalid HMAC");
    nlohmann::json payload = nlohmann::json::parse(text, nullptr, false);
    if (!payload.is_object()) throw Error("invalid_request", "The session message's payload is not a JSON object");
    guard.check(payload);
    return payload;
}

nlohmann::json to_json(const JoinIntent& intent) {
    return {{"name", intent.name},
            {"version", intent.version},
            {"address", intent.address},
            {"certificate", intent.certificate},
            {"services", intent.services}};
}

JoinIntent intent_from_json(const nlohmann::json& payload) {
    JoinIntent intent{text_field(payload, "name"),
                      text_field(payload, "version"),
                      text_field(payload, "address"),
                      text_field(payload, "certificate"),
                      {}};
    if (payload.contains("services") && payload["services"].is_object())
        for (const auto& [name, version] : payload["services"].items())
            if (version.is_string()) intent.services[name] = version.get<std::string>();
    return intent;
}

nlohmann::json to_json(const JoinAnswer& answer) {
    return {{"name", answer.name}, {"token", answer.token}};
}

JoinAnswer answer_from_json(const nlohmann::json& payload) {
    return {text_field(payload, "name"), text_field(payload, "token")};
}

}  // namespace microcloud::host::formation
