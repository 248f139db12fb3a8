// host/formation/session_messages.hpp - what a joiner and an initiator say during a trust session,
// each message signed with the key both derive from the passphrase and the initiator's certificate
// fingerprint (trust/join_proof.hpp), so each side proves it knows the passphrase:
//   {"payload": "<JSON text>", "mac": "<HMAC-SHA256 of the payload text, hex>"}.
#pragma once

#include "trust/join_freshness.hpp"
#include "trust/join_proof.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace microcloud::host::formation {

// The joiner's request to the initiator's POST /1.0/session/join.
struct JoinIntent {
    std::string name{};
    std::string version{};                          // the joiner's MicroCloud version
    std::string address{};                          // where the joiner will listen (ip:port)
    std::string certificate{};                      // the joiner's member certificate, PEM
    std::map<std::string, std::string> services{};  // plugin -> version
};

// The initiator's answer: the token the joiner joins with.
struct JoinAnswer {
    std::string name{};   // the initiator
    std::string token{};  // membership join token for the joiner
};

// Signed envelopes (payload stamped with nonce and timestamp).
std::string seal(const trust::JoinKey& key, nlohmann::json payload);
// Verifies the MAC, then freshness; returns the payload. Throws Error("session_wrong_passphrase",
// "Invalid HMAC") for a MAC that does not verify, Error("invalid_request") for a malformed
// envelope, and the FreshnessGuard's errors.
nlohmann::json open_sealed(const trust::JoinKey& key, const std::string& envelope, trust::FreshnessGuard& guard);

nlohmann::json to_json(const JoinIntent& intent);
JoinIntent intent_from_json(const nlohmann::json& payload);  // Error("invalid_request") naming the field
nlohmann::json to_json(const JoinAnswer& answer);
JoinAnswer answer_from_json(const nlohmann::json& payload);

}  // namespace microcloud::host::formation
