// host/cli/interrupt_cancels.hpp - while a long operation streams its progress, Ctrl-C (SIGINT)
// asks the daemon to cancel it instead of killing the CLI: the CLI keeps reading, so the user sees
// the rollback and the final error. A second Ctrl-C stops waiting (exit 130); the daemon still
// rolls back on its own.
#pragma once

#include "common/unique_fd.hpp"

#include <signal.h>

#include <functional>
#include <thread>

namespace microcloud::host::cli {

class InterruptCancels {
public:
    // `cancel` runs on a thread of its own at the first SIGINT.
    explicit InterruptCancels(std::function<void()> cancel);
    ~InterruptCancels();
    InterruptCancels(const InterruptCancels&) = delete;
    InterruptCancels& operator=(const InterruptCancels&) = delete;

private:
    void watch();

    std::function<void()> cancel_;
    sigset_t previous_{};
    UniqueFd signals_;  // signalfd for SIGINT
    UniqueFd stop_;     // eventfd that ends the watcher
    std::thread watcher_;
};

}  // namespace microcloud::host::cli
