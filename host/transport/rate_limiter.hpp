// host/transport/rate_limiter.hpp - token buckets per key (a remote IP), limiting the peer server's open routes.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>

namespace microcloud::host::transport {

class RateLimiter {
public:
    using Clock = std::chrono::steady_clock;

    // Each key may spend `burst` requests at once; its bucket refills at `per_second`. At most `max_keys`
    // buckets are kept: full ones are dropped first, then the longest unused.
    RateLimiter(double per_second, double burst, std::size_t max_keys = 4096);

    // Takes one token from the bucket of `key`; false when it is empty. Thread-safe.
    bool allow(const std::string& key, Clock::time_point now = Clock::now());

private:
    struct Bucket {
        double tokens = 0;
        Clock::time_point updated{};
    };

    double level(const Bucket& bucket, Clock::time_point now) const;
    void make_room(Clock::time_point now);

    double per_second_;
    double burst_;
    std::size_t max_keys_;
    std::mutex mutex_;
    std::map<std::string, Bucket> buckets_;
};

}  // namespace microcloud::host::transport
