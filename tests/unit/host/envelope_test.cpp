// tests/unit/host/envelope_test.cpp - the LXD-style envelope: building and unwrapping.
#include "api/envelope.hpp"
#include "common/error.hpp"

#include <gtest/gtest.h>

using namespace microcloud::host;

TEST(Envelope, SyncResponseHasTheLxdKeys) {
    auto doc = api::sync_response({{"a", 1}});
    EXPECT_EQ(doc["type"], "sync");
    EXPECT_EQ(doc["status"], "Success");
    EXPECT_EQ(doc["status_code"], 200);
    EXPECT_EQ(doc["error_code"], 0);
    EXPECT_EQ(doc["error"], "");
    EXPECT_EQ(doc["metadata"]["a"], 1);
}

TEST(Envelope, UnwrapReturnsMetadata) {
    EXPECT_EQ(api::unwrap(200, api::sync_response({1, 2}).dump()), nlohmann::json({1, 2}));
}

TEST(Envelope, UnwrapThrowsTheErrorWithItsCode) {
    auto body = api::error_response(404, "Not found: GET /x", "not_found").dump();
    try {
        api::unwrap(404, body);
        FAIL() << "no exception";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "not_found");
        EXPECT_STREQ(e.what(), "Not found: GET /x");
    }
}

TEST(Envelope, ErrorWithoutCodeIsApiError) {
    try {
        api::unwrap(500, api::error_response(500, "boom").dump());
        FAIL() << "no exception";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "api_error");
    }
}

TEST(Envelope, NonEnvelopeIsBadResponse) {
    try {
        api::unwrap(502, "<html>gateway</html>");
        FAIL() << "no exception";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "bad_response");
        EXPECT_NE(std::string(e.what()).find("502"), std::string::npos);
    }
}

TEST(Envelope, ErrorCodesMapToHttpStatuses) {
    using microcloud::host::api::http_status_for;
    EXPECT_EQ(http_status_for("invalid_address"), 400);
    EXPECT_EQ(http_status_for("certificate_untrusted"), 403);
    EXPECT_EQ(http_status_for("forbidden"), 403);
    EXPECT_EQ(http_status_for("member_not_found"), 404);
    EXPECT_EQ(http_status_for("member_exists"), 409);
    EXPECT_EQ(http_status_for("already_clustered"), 409);
    EXPECT_EQ(http_status_for("session_stopped"), 409);
    EXPECT_EQ(http_status_for("cancelled"), 409);
    EXPECT_EQ(http_status_for("rate_limited"), 429);
    EXPECT_EQ(http_status_for("dqlite_no_leader"), 500);
}
