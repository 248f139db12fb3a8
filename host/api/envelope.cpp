// host/api/envelope.cpp - building and unwrapping the LXD-style response envelope.
#include "api/envelope.hpp"

#include "common/error.hpp"

namespace microcloud::host::api {

nlohmann::json sync_response(nlohmann::json metadata) {
    return {{"type", "sync"}, {"status", "Success"}, {"status_code", 200},
            {"error_code", 0}, {"error", ""},        {"metadata", std::move(metadata)}};
}

nlohmann::json error_response(int http_status, const std::string& message, const std::string& code,
                              nlohmann::json details) {
    nlohmann::json metadata = nullptr;
    if (!code.empty() || !details.is_null()) metadata = {{"code", code}, {"details", std::move(details)}};
    return {{"type", "error"}, {"status", ""},        {"status_code", 0},
            {"error_code", http_status}, {"error", message}, {"metadata", std::move(metadata)}};
}

int http_status_for(const std::string& code) {
    const auto ends_with = [&](std::string_view tail) {
        return code.size() >= tail.size() && code.compare(code.size() - tail.size(), tail.size(), tail) == 0;
    };
    if (code.rfind("invalid_", 0) == 0 || code == "invalid") return 400;
    if (ends_with("untrusted") || ends_with("forbidden")) return 403;
    if (ends_with("not_found")) return 404;
    // Conflicts with the state: also a session that stopped (too many wrong proofs) or a cancelled run.
    if (ends_with("exists") || code == "already_clustered" || code == "not_clustered" || code == "member_remove_self" ||
        code == "session_stopped" || code == "cancelled")
        return 409;
    if (code == "rate_limited") return 429;
    return 500;
}

nlohmann::json unwrap(int http_status, const std::string& body) {
    nlohmann::json doc = nlohmann::json::parse(body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("type"))
        throw Error("bad_response", "Unexpected response (HTTP " + std::to_string(http_status) + "): " + body.substr(0, 200));
    if (doc.value("type", "") == "error") {
        std::string code = "api_error";
        nlohmann::json details = nullptr;
        if (doc["metadata"].is_object()) {
            code = doc["metadata"].value("code", code);
            if (code.empty()) code = "api_error";
            details = doc["metadata"].value("details", nlohmann::json());
        }
        throw Error(code, doc.value("error", "unknown error"), details);
    }
    return doc.value("metadata", nlohmann::json());
}

}  // namespace microcloud::host::api
