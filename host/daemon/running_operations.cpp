// host/daemon/running_operations.cpp - registering, ending and cancelling long operations.
#include "daemon/running_operations.hpp"

#include <algorithm>

namespace microcloud::host::daemon {

std::unique_ptr<RunningOperations::Scope> RunningOperations::begin() {
    auto flag = std::make_shared<std::atomic<bool>>(false);
    {
        std::lock_guard lock(mutex_);
        running_.push_back(flag);
    }
    return std::make_unique<Scope>(*this, std::move(flag));
}

void RunningOperations::end(const Flag& flag) {
    std::lock_guard lock(mutex_);
    running_.erase(std::remove(running_.begin(), running_.end(), flag), running_.end());
}

std::size_t RunningOperations::cancel_all() {
    std::lock_guard lock(mutex_);
    for (const Flag& flag : running_) *flag = true;
    return running_.size();
}

}  // namespace microcloud::host::daemon
