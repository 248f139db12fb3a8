// plugins/lxd/join_token.cpp - base64 and the join token's JSON. Base64 is written here (a few
// lines) because a plugin links only the SDK, which has no encoder.
#include "join_token.hpp"

#include <array>

namespace microcloud::plugins::lxd {

using sdk::Error;
using sdk::Json;

namespace {

constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int value_of(char c) {
    const auto at = alphabet.find(c);
    return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

std::string text_field(const Json& from, const char* key) {
    auto it = from.find(key);
    if (it == from.end() || !it->is_string() || it->get<std::string>().empty())
        throw Error("bad_response", std::string("LXD's token operation has no ") + key);
    return it->get<std::string>();
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
        std::uint32_t chunk = 0;
        for (std::size_t k = 0; k < 3; ++k)
            chunk = chunk << 8 | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0U);
        for (std::size_t k = 0; k < 4; ++k) out.push_back(k <= n ? alphabet[chunk >> (18 - 6 * k) & 0x3F] : '=');
    }
    return out;
}

std::string base64_decode(std::string_view text) {
    while (!text.empty() && text.back() == '=') text.remove_suffix(1);
    if (text.size() % 4 == 1)
        throw Error("invalid_token", "the LXD join token is not base64 (its length is impossible)");
    std::string out;
    std::uint32_t chunk = 0;
    int bits = 0;
    for (char c : text) {
        const int v = value_of(c);
        if (v < 0)
            throw Error("invalid_token", "the LXD join token is not base64 (it holds '" + std::string(1, c) + "')");
        chunk = chunk << 6 | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>(chunk >> bits & 0xFF));
        }
    }
    if ((chunk & ((1U << bits) - 1)) != 0)
        throw Error("invalid_token", "the LXD join token is not base64 (it ends with stray bits)");
    return out;
}

std::string encode_join_token(const Json& op) {
    Json token{{"server_name", text_field(op, "serverName")},
               {"fingerprint", text_field(op, "fingerprint")},
               {"addresses", op.value("addresses", Json::array())},
               {"secret", text_field(op, "secret")}};
    if (op.contains("expiresAt")) token["expires_at"] = op["expiresAt"];
    if (token["addresses"].empty()) throw Error("bad_response", "LXD's token operation lists no cluster address");
    return base64_encode(token.dump());
}

Json decode_join_token(const std::string& token) {
    const Json fields = Json::parse(base64_decode(token), nullptr, false);
    if (!fields.is_object()) throw Error("invalid_token", "the LXD join token does not hold a JSON object");
    for (const char* key : {"server_name", "fingerprint", "secret"})
        if (!fields.contains(key) || !fields[key].is_string())
            throw Error("invalid_token", std::string("the LXD join token has no ") + key);
    if (!fields.contains("addresses") || !fields["addresses"].is_array() || fields["addresses"].empty())
        throw Error("invalid_token", "the LXD join token lists no cluster address");
    return fields;
}

}  // namespace microcloud::plugins::lxd
