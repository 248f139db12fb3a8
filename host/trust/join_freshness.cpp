// host/trust/join_freshness.cpp - nonce/timestamp stamping of join bodies and the stale/replay check.
#include "trust/join_freshness.hpp"

#include "common/error.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstdint>

namespace microcloud::host::trust {
namespace {

bool is_nonce(const std::string& text) {
    return text.size() == 32 && std::all_of(text.begin(), text.end(),
                                            [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

std::string new_join_nonce() {
    std::array<unsigned char, 16> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        throw Error("random_failed", "The system random number generator failed");
    }
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char byte : bytes) {
        out += digits[byte >> 4];
        out += digits[byte & 0xf];
    }
    return out;
}

nlohmann::json stamp_join_body(nlohmann::json body, std::chrono::system_clock::time_point now) {
    if (body.is_null()) body = nlohmann::json::object();
    if (!body.is_object()) throw Error("invalid_argument", "A join body must be a JSON object");
    body["nonce"] = new_join_nonce();
    body["timestamp"] = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    return body;
}

void FreshnessGuard::check(const nlohmann::json& body, std::chrono::system_clock::time_point now) {
    if (!body.is_object() || !body.contains("nonce") || !body["nonce"].is_string() || !body.contains("timestamp") ||
        !body["timestamp"].is_number_integer() || !is_nonce(body["nonce"].get<std::string>())) {
        throw Error("proof_malformed",
                    "Join request lacks \"nonce\" (32 lowercase hex digits) or \"timestamp\" (integer Unix seconds)");
    }
    const std::string nonce = body["nonce"].get<std::string>();
    // Compared in whole seconds first: a far-off timestamp would overflow the clock's nanoseconds.
    const std::int64_t timestamp = body["timestamp"].get<std::int64_t>();
    const std::int64_t now_seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    const std::uint64_t skew = timestamp > now_seconds
                                   ? static_cast<std::uint64_t>(timestamp) - static_cast<std::uint64_t>(now_seconds)
                                   : static_cast<std::uint64_t>(now_seconds) - static_cast<std::uint64_t>(timestamp);
    if (skew > static_cast<std::uint64_t>(window_.count())) {
        throw Error("proof_stale",
                    "Join request timestamp is " + std::to_string(skew) +
                        " s away from this system's clock (allowed: " + std::to_string(window_.count()) + " s)",
                    {{"timestamp", body["timestamp"]}});
    }
    const std::chrono::system_clock::time_point sent{std::chrono::seconds(timestamp)};

    std::lock_guard lock(mutex_);
    std::erase_if(seen_, [&](const auto& entry) { return entry.second < now; });
    if (seen_.count(nonce)) throw Error("proof_replayed", "Join request was already received (replayed nonce)");
    // Forget the nonce only once a body with this timestamp can no longer pass the window check.
    seen_.emplace(nonce, sent + window_);
}

}  // namespace microcloud::host::trust
