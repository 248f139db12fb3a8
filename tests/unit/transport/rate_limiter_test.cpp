// tests/unit/transport/rate_limiter_test.cpp - the per-IP token buckets behind open routes.
#include "transport/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace microcloud::host::transport {
namespace {

using namespace std::chrono_literals;

TEST(TransportRateLimiter, SpendsTheBurstThenRefills) {
    RateLimiter limiter(2.0, 3.0);
    const auto start = RateLimiter::Clock::time_point{} + 1h;
    EXPECT_TRUE(limiter.allow("10.0.0.1", start));
    EXPECT_TRUE(limiter.allow("10.0.0.1", start));
    EXPECT_TRUE(limiter.allow("10.0.0.1", start));
    EXPECT_FALSE(limiter.allow("10.0.0.1", start));
    EXPECT_FALSE(limiter.allow("10.0.0.1", start + 400ms));  // 0.8 of a token
    EXPECT_TRUE(limiter.allow("10.0.0.1", start + 500ms));   // 1.0
    EXPECT_FALSE(limiter.allow("10.0.0.1", start + 500ms));
    EXPECT_TRUE(limiter.allow("10.0.0.1", start + 1h));  // full again, but never above the burst
    EXPECT_TRUE(limiter.allow("10.0.0.1", start + 1h));
    EXPECT_TRUE(limiter.allow("10.0.0.1", start + 1h));
    EXPECT_FALSE(limiter.allow("10.0.0.1", start + 1h));
}

TEST(TransportRateLimiter, KeysHaveTheirOwnBuckets) {
    RateLimiter limiter(0.0, 1.0);
    const auto now = RateLimiter::Clock::now();
    EXPECT_TRUE(limiter.allow("a", now));
    EXPECT_FALSE(limiter.allow("a", now));
    EXPECT_TRUE(limiter.allow("b", now));
}

TEST(TransportRateLimiter, KeepsAtMostMaxKeys) {
    RateLimiter limiter(0.0, 1.0, 2);
    const auto now = RateLimiter::Clock::now();
    EXPECT_TRUE(limiter.allow("a", now));
    EXPECT_TRUE(limiter.allow("b", now + 1ms));
    EXPECT_TRUE(limiter.allow("c", now + 2ms));  // evicts "a", the longest unused
    EXPECT_FALSE(limiter.allow("c", now + 3ms));
    EXPECT_TRUE(limiter.allow("a", now + 4ms));  // forgotten, so a fresh bucket (evicts "b")
    EXPECT_FALSE(limiter.allow("c", now + 5ms));
}

TEST(TransportRateLimiter, ZeroBurstAllowsNothing) {
    RateLimiter limiter(5.0, 0.0);
    EXPECT_FALSE(limiter.allow("a"));
}

}  // namespace
}  // namespace microcloud::host::transport
