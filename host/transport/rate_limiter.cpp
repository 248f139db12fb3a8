// host/transport/rate_limiter.cpp - token buckets per remote IP for the peer server's open routes.
#include "transport/rate_limiter.hpp"

#include <algorithm>

namespace microcloud::host::transport {

RateLimiter::RateLimiter(double per_second, double burst, std::size_t max_keys)
    : per_second_(std::max(per_second, 0.0)),
      burst_(std::max(burst, 0.0)),
      max_keys_(std::max<std::size_t>(max_keys, 1)) {}

double RateLimiter::level(const Bucket& bucket, Clock::time_point now) const {
    const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
    return std::min(burst_, bucket.tokens + std::max(elapsed, 0.0) * per_second_);
}

void RateLimiter::make_room(Clock::time_point now) {
    for (auto it = buckets_.begin(); it != buckets_.end();) {
        it = level(it->second, now) >= burst_ ? buckets_.erase(it) : std::next(it);
    }
    while (buckets_.size() >= max_keys_) {
        buckets_.erase(std::min_element(buckets_.begin(), buckets_.end(), [](const auto& a, const auto& b) {
            return a.second.updated < b.second.updated;
        }));
    }
}

bool RateLimiter::allow(const std::string& key, Clock::time_point now) {
    const std::lock_guard lock(mutex_);
    auto it = buckets_.find(key);
    if (it == buckets_.end()) {
        if (buckets_.size() >= max_keys_) {
            make_room(now);
        }
        it = buckets_.emplace(key, Bucket{burst_, now}).first;
    }
    Bucket& bucket = it->second;
    bucket.tokens = level(bucket, now);
    bucket.updated = std::max(bucket.updated, now);
    if (bucket.tokens < 1.0) {
        return false;
    }
    bucket.tokens -= 1.0;
    return true;
}

}  // namespace microcloud::host::transport
