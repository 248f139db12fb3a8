// plugins/lxd/join_token.hpp - LXD's cluster join token: base64 of JSON {server_name,
// fingerprint, addresses, secret, expires_at}, made from the token operation LXD creates.
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <string>
#include <string_view>

namespace microcloud::plugins::lxd {

/// Standard base64 (with padding) of `bytes`.
std::string base64_encode(std::string_view bytes);
/// Decodes standard base64 (padding optional, whitespace not allowed); throws sdk::Error
/// ("invalid_token") on any other character.
std::string base64_decode(std::string_view text);

/// The token text from the metadata of LXD's token operation (serverName, fingerprint,
/// addresses, secret, expiresAt). Throws sdk::Error("bad_response") when a field is missing.
std::string encode_join_token(const sdk::Json& operation_metadata);
/// The token's fields; throws sdk::Error("invalid_token") naming what is wrong.
sdk::Json decode_join_token(const std::string& token);

}  // namespace microcloud::plugins::lxd
