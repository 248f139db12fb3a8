// host/common/backoff.hpp - a pause that doubles each time it is taken, up to a ceiling: how the host
// waits before asking again (a busy database, a socket not there yet, a session not open yet).
#pragma once

#include <algorithm>
#include <chrono>
#include <thread>

namespace microcloud::host {

class Backoff {
public:
    // The first pause is `first` (at least 1 ms), then twice the one before, never more than `longest`.
    Backoff(std::chrono::milliseconds first, std::chrono::milliseconds longest)
        : longest_(std::max(longest, std::chrono::milliseconds(1))),
          pause_(std::clamp(first, std::chrono::milliseconds(1), longest_)) {}

    // The pause the next take() or sleep() uses.
    std::chrono::milliseconds peek() const { return pause_; }

    // Returns the pause to wait now; the following one doubles.
    std::chrono::milliseconds take() {
        const auto now = pause_;
        pause_ = std::min(pause_ * 2, longest_);
        return now;
    }

    // Sleeps for take().
    void sleep() { std::this_thread::sleep_for(take()); }

private:
    std::chrono::milliseconds longest_;
    std::chrono::milliseconds pause_;
};

}  // namespace microcloud::host
