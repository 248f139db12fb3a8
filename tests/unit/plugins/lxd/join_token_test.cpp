// tests/unit/plugins/lxd/join_token_test.cpp - base64 and LXD's join token, with an operation
// as LXD 5.0.2 answered POST /1.0/cluster/members in the lab.
#include "join_token.hpp"

#include <gtest/gtest.h>

namespace microcloud::plugins::lxd {
namespace {

using sdk::Json;

const Json token_operation = Json::parse(R"({"addresses":["10.171.1.11:8443"],
    "expiresAt":"2026-11-26T17:32:29.037252821Z",
    "fingerprint":"26abf8a6fc15527eebde4d65259089c69ec0da3763c9b00c2c9314d4a9f374e8",
    "secret":"db6d54150feb59c5e0f95fb7fed26f3e3162b91918b93dab23a5e5489ad3bc53","serverName":"m2"})");

TEST(Base64, KnownVectorsBothWays) {
    const std::pair<std::string, std::string> vectors[] = {{"", ""},
                                                           {"f", "Zg=="},
                                                           {"fo", "Zm8="},
                                                           {"foo", "Zm9v"},
                                                           {"foob", "Zm9vYg=="},
                                                           {"fooba", "Zm9vYmE="},
                                                           {"foobar", "Zm9vYmFy"},
                                                           {std::string("\xff\x00\x10", 3), "/wAQ"}};
    for (const auto& [plain, encoded] : vectors) {
        EXPECT_EQ(base64_encode(plain), encoded);
        EXPECT_EQ(base64_decode(encoded), plain);
    }
    EXPECT_EQ(base64_decode("Zm8"), "fo");  // padding optional
}

TEST(Base64, ForeignCharacterIsAnInvalidToken) {
    try {
        base64_decode("Zm9v!A");
        FAIL();
    } catch (const sdk::Error& e) {
        EXPECT_EQ(e.code(), "invalid_token");
        EXPECT_NE(std::string(e.what()).find("'!'"), std::string::npos);
    }
}

TEST(Base64, ImpossibleLengthAndStrayBitsAreRefused) {
    EXPECT_THROW(base64_decode("Zm9vY"), sdk::Error);  // 5 characters cannot come from bytes
    EXPECT_THROW(base64_decode("Zm9"), sdk::Error);    // "Zm8" is "fo"; "Zm9" leaves bits over
}

TEST(JoinToken, EncodesWhatLxdsOwnClientsDecode) {
    const std::string token = encode_join_token(token_operation);
    const Json fields = Json::parse(base64_decode(token));
    EXPECT_EQ(fields.at("server_name"), "m2");
    EXPECT_EQ(fields.at("fingerprint"), token_operation.at("fingerprint"));
    EXPECT_EQ(fields.at("addresses"), Json::array({"10.171.1.11:8443"}));
    EXPECT_EQ(fields.at("secret"), token_operation.at("secret"));
    EXPECT_EQ(fields.at("expires_at"), token_operation.at("expiresAt"));
    EXPECT_EQ(decode_join_token(token), fields);
}

TEST(JoinToken, OperationWithoutSecretIsABadResponse) {
    Json op = token_operation;
    op.erase("secret");
    EXPECT_THROW(encode_join_token(op), sdk::Error);
}

TEST(JoinToken, DecodingNamesWhatIsMissing) {
    try {
        decode_join_token(base64_encode(R"({"server_name":"m2","fingerprint":"x","secret":"s","addresses":[]})"));
        FAIL();
    } catch (const sdk::Error& e) {
        EXPECT_EQ(e.code(), "invalid_token");
        EXPECT_NE(std::string(e.what()).find("no cluster address"), std::string::npos);
    }
    EXPECT_THROW(decode_join_token(base64_encode("[1]")), sdk::Error);
}

}  // namespace
}  // namespace microcloud::plugins::lxd
