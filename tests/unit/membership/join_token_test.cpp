// tests/unit/membership/join_token_test.cpp - join tokens: round trip, every malformed form
// refused with invalid_token, secrets fresh each time and stored only as a hash.
#include "membership/join_token.hpp"

#include "common/error.hpp"

#include <gtest/gtest.h>

namespace microcloud::host::membership {
namespace {

std::string code_of(const std::string& text) {
    try {
        decode_join_token(text);
    } catch (const Error& error) {
        return error.code();
    }
    return "accepted";
}

TEST(JoinToken, RoundTrips) {
    const JoinTokenText token = new_join_token("m2", std::string(64, 'a'), {"10.0.0.1:9443", "10.0.0.2:9443"});
    EXPECT_EQ(decode_join_token(encode_join_token(token)), token);
    EXPECT_EQ(decode_join_token(encode_join_token(token) + "\n"), token);
}

TEST(JoinToken, EachTokenIsFresh) {
    const JoinTokenText a = new_join_token("m2", "f", {"10.0.0.1:9443"});
    const JoinTokenText b = new_join_token("m2", "f", {"10.0.0.1:9443"});
    EXPECT_NE(a.name, b.name);
    EXPECT_NE(a.secret, b.secret);
    EXPECT_GE(a.secret.size(), 64u);
}

TEST(JoinToken, MalformedTextIsRefused) {
    EXPECT_EQ(code_of(""), "invalid_token");
    EXPECT_EQ(code_of("abc"), "invalid_token");
    EXPECT_EQ(code_of("!!!!"), "invalid_token");
    EXPECT_EQ(code_of("bm90IGpzb24="), "invalid_token");  // "not json"
    JoinTokenText missing = new_join_token("m2", "f", {"10.0.0.1:9443"});
    missing.secret.clear();
    EXPECT_EQ(code_of(encode_join_token(missing)), "invalid_token");
    JoinTokenText nowhere = new_join_token("m2", "f", {});
    EXPECT_EQ(code_of(encode_join_token(nowhere)), "invalid_token");
}

TEST(JoinToken, SecretHashIsSha256Hex) {
    EXPECT_EQ(secret_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace microcloud::host::membership
