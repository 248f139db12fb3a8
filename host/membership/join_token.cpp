// host/membership/join_token.cpp - encoding join tokens (base64 via OpenSSL's EVP codec).
#include "membership/join_token.hpp"
#include "common/hex.hpp"

#include "common/error.hpp"
#include "trust/join_freshness.hpp"

#include <openssl/evp.h>
#include <nlohmann/json.hpp>

#include <array>

namespace microcloud::host::membership {
namespace {

[[noreturn]] void invalid(const std::string& problem) {
    throw Error("invalid_token",
                "Invalid join token: " + problem + " (expected the text printed by \"microcloud cluster add\")",
                {{"field", "token"}});
}

}  // namespace

std::string encode_join_token(const JoinTokenText& token) {
    const std::string json = nlohmann::json{
        {"name", token.name},
        {"secret", token.secret},
        {"joiner", token.joiner},
        {"fingerprint", token.fingerprint},
        {"addresses",
         token.addresses}}.dump();
    std::string out(4 * ((json.size() + 2) / 3) + 1, '\0');
    const int written =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                        reinterpret_cast<const unsigned char*>(json.data()), static_cast<int>(json.size()));
    out.resize(static_cast<std::size_t>(written));
    return out;
}

JoinTokenText decode_join_token(const std::string& text) {
    std::string trimmed;
    for (const char c : text)
        if (c != '\n' && c != '\r' && c != ' ') trimmed.push_back(c);
    if (trimmed.empty() || trimmed.size() % 4 != 0) invalid("its length is not that of base64 text");
    std::string raw(trimmed.size() / 4 * 3 + 1, '\0');
    const int decoded =
        EVP_DecodeBlock(reinterpret_cast<unsigned char*>(raw.data()),
                        reinterpret_cast<const unsigned char*>(trimmed.data()), static_cast<int>(trimmed.size()));
    if (decoded < 0) invalid("it is not base64");
    std::size_t size = static_cast<std::size_t>(decoded);
    // EVP_DecodeBlock counts the padding as zero bytes.
    for (auto it = trimmed.rbegin(); it != trimmed.rend() && *it == '='; ++it) --size;
    raw.resize(size);
    const nlohmann::json body = nlohmann::json::parse(raw, nullptr, false);
    if (!body.is_object()) invalid("it does not hold a JSON object");
    JoinTokenText token;
    for (const auto& [field, target] :
         {std::pair{"name", &token.name}, std::pair{"secret", &token.secret}, std::pair{"joiner", &token.joiner},
          std::pair{"fingerprint", &token.fingerprint}}) {
        if (!body.contains(field) || !body[field].is_string() || body[field].get<std::string>().empty())
            invalid(std::string("the field \"") + field + "\" is missing or empty");
        *target = body[field].get<std::string>();
    }
    if (!body.contains("addresses") || !body["addresses"].is_array() || body["addresses"].empty())
        invalid("the field \"addresses\" is missing or empty");
    for (const auto& address : body["addresses"]) {
        if (!address.is_string()) invalid("the field \"addresses\" holds a non-string");
        token.addresses.push_back(address.get<std::string>());
    }
    return token;
}

JoinTokenText new_join_token(const std::string& joiner, const std::string& fingerprint,
                             std::vector<std::string> addresses) {
    return JoinTokenText{.name = trust::new_join_nonce(),
                         .secret = trust::new_join_nonce() + trust::new_join_nonce(),
                         .joiner = joiner,
                         .fingerprint = fingerprint,
                         .addresses = std::move(addresses)};
}

std::string secret_hash(const std::string& secret) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (EVP_Digest(secret.data(), secret.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1)
        throw Error("hash_failed", "Cannot hash the join token secret (OpenSSL SHA-256 failed)");
    return to_hex(digest.data(), size);
}

}  // namespace microcloud::host::membership
