// host/trust/join_freshness.hpp - the nonce/timestamp convention of signed join bodies and the check that
// rejects stale or replayed ones.
//
// Convention: every body signed with join_proof.hpp's sign() is a JSON object with two extra fields,
//   "nonce":     32 lowercase hex digits (128 bits from RAND_bytes), fresh for every request;
//   "timestamp": the sender's clock in Unix seconds (integer).
// The MAC covers the exact bytes sent, so both fields are authenticated. The receiver verifies the MAC
// first, then calls FreshnessGuard::check(), which accepts a body only if its timestamp is within
// `window` of the receiver's clock and its nonce has not been accepted within the window before.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace microcloud::host::trust {

inline constexpr std::chrono::seconds join_freshness_window{300};

// A new nonce: 32 lowercase hex digits from RAND_bytes. Throws Error("random_failed").
std::string new_join_nonce();

// `body` (a JSON object; null counts as empty) with "nonce" and "timestamp" set for sending now.
nlohmann::json stamp_join_body(nlohmann::json body,
                               std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// Remembers the nonces it accepted for `window`; thread-safe.
class FreshnessGuard {
public:
    explicit FreshnessGuard(std::chrono::seconds window = join_freshness_window) : window_(window) {}

    // Accepts a MAC-verified body once. Throws Error("proof_malformed") when nonce/timestamp are missing
    // or mistyped, Error("proof_stale") when the timestamp is further than the window from `now`,
    // Error("proof_replayed") when the nonce was already accepted.
    void check(const nlohmann::json& body,
               std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

private:
    std::chrono::seconds window_;
    std::mutex mutex_;
    std::map<std::string, std::chrono::system_clock::time_point> seen_;  // nonce -> when it may be forgotten
};

}  // namespace microcloud::host::trust
