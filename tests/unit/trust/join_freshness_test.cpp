// tests/unit/trust/join_freshness_test.cpp - stamping join bodies with nonce and timestamp, and rejecting
// stale, replayed and malformed ones.
#include "trust/join_freshness.hpp"

#include "common/error.hpp"

#include <gtest/gtest.h>

namespace microcloud::host::trust {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

std::string check_code(FreshnessGuard& guard, const nlohmann::json& body, Clock::time_point now) {
    try {
        guard.check(body, now);
        return "accepted";
    } catch (const Error& e) {
        return e.code();
    }
}

TEST(JoinFreshness, StampAddsNonceAndTimestamp) {
    Clock::time_point now = Clock::from_time_t(1'700'000'000);
    nlohmann::json body = stamp_join_body({{"name", "m2"}}, now);
    EXPECT_EQ(body["name"], "m2");
    EXPECT_EQ(body["timestamp"], 1'700'000'000);
    EXPECT_EQ(body["nonce"].get<std::string>().size(), 32u);
    EXPECT_NE(stamp_join_body({}, now)["nonce"], body["nonce"]);
    EXPECT_THROW(stamp_join_body(nlohmann::json::array(), now), Error);
}

TEST(JoinFreshness, AcceptsOnceThenReportsReplay) {
    FreshnessGuard guard;
    Clock::time_point now = Clock::from_time_t(1'700'000'000);
    nlohmann::json body = stamp_join_body({{"name", "m2"}}, now);
    EXPECT_EQ(check_code(guard, body, now + 5s), "accepted");
    EXPECT_EQ(check_code(guard, body, now + 10s), "proof_replayed");
    EXPECT_EQ(check_code(guard, stamp_join_body({{"name", "m2"}}, now), now + 10s), "accepted");
}

TEST(JoinFreshness, RejectsStaleAndFutureTimestamps) {
    FreshnessGuard guard(60s);
    Clock::time_point now = Clock::from_time_t(1'700'000'000);
    EXPECT_EQ(check_code(guard, stamp_join_body({}, now - 61s), now), "proof_stale");
    EXPECT_EQ(check_code(guard, stamp_join_body({}, now + 61s), now), "proof_stale");
    EXPECT_EQ(check_code(guard, stamp_join_body({}, now - 60s), now), "accepted");
    // Once the window has passed, the old body fails as stale rather than being remembered forever.
    nlohmann::json body = stamp_join_body({}, now);
    EXPECT_EQ(check_code(guard, body, now), "accepted");
    EXPECT_EQ(check_code(guard, body, now + 61s), "proof_stale");
}

TEST(JoinFreshness, RejectsMissingOrMistypedFields) {
    FreshnessGuard guard;
    Clock::time_point now = Clock::from_time_t(1'700'000'000);
    EXPECT_EQ(check_code(guard, {{"name", "m2"}}, now), "proof_malformed");
    EXPECT_EQ(check_code(guard, {{"nonce", "00112233445566778899aabbccddeeff"}, {"timestamp", "1700000000"}}, now),
              "proof_malformed");
    EXPECT_EQ(check_code(guard, {{"nonce", "short"}, {"timestamp", 1'700'000'000}}, now), "proof_malformed");
    EXPECT_EQ(check_code(guard, nlohmann::json::array(), now), "proof_malformed");
}

}  // namespace
}  // namespace microcloud::host::trust
