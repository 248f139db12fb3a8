// host/membership/join_token.hpp - the text a member hands to a joiner: which cluster (the
// fingerprint its members present), where to reach it, and the one-time secret, as base64 JSON.
#pragma once

#include <string>
#include <vector>

namespace microcloud::host::membership {

struct JoinTokenText {
    std::string name{};                    // the token's id in the join_tokens table
    std::string secret{};                  // stored only as secret_hash()
    std::string joiner{};                  // the member name it is for
    std::string fingerprint{};             // the cluster certificate's SHA-256, lowercase hex
    std::vector<std::string> addresses{};  // members to ask, "host:port"
    friend bool operator==(const JoinTokenText&, const JoinTokenText&) = default;
};

// base64 of {"name","secret","joiner","fingerprint","addresses"}.
std::string encode_join_token(const JoinTokenText& token);
// Throws Error("invalid_token") naming what is wrong (not base64, not JSON, a missing field).
JoinTokenText decode_join_token(const std::string& text);

// A new token for `joiner`: fresh random name and secret.
JoinTokenText new_join_token(const std::string& joiner, const std::string& fingerprint,
                             std::vector<std::string> addresses);

// SHA-256 of the secret, lowercase hex: what the store keeps.
std::string secret_hash(const std::string& secret);

}  // namespace microcloud::host::membership
