// host/daemon/running_operations.hpp - the long operations (preseed, remove, session steps) this
// daemon is running for clients of its control socket, so that `POST /1.0/operations/cancel` (the
// CLI's Ctrl-C) can ask every one of them to stop at its next step and roll back.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

namespace microcloud::host::daemon {

class RunningOperations {
public:
    using Flag = std::shared_ptr<std::atomic<bool>>;

    // Registers an operation for as long as the returned scope lives; its flag turns true once
    // the operation is cancelled.
    class Scope {
    public:
        Scope(RunningOperations& owner, Flag flag) : owner_(owner), flag_(std::move(flag)) {}
        ~Scope() { owner_.end(flag_); }
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;
        const Flag& flag() const { return flag_; }

    private:
        RunningOperations& owner_;
        Flag flag_;
    };

    std::unique_ptr<Scope> begin();
    // Cancels every running operation; returns how many there were.
    std::size_t cancel_all();

private:
    void end(const Flag& flag);

    std::mutex mutex_;
    std::vector<Flag> running_;
};

}  // namespace microcloud::host::daemon
