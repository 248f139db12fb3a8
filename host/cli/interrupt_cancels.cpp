// host/cli/interrupt_cancels.cpp - SIGINT read from a signalfd (blocked for the whole process while
// an operation streams) on a watcher thread, which also wakes for an eventfd when the scope ends.
#include "cli/interrupt_cancels.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <exception>

namespace microcloud::host::cli {

InterruptCancels::InterruptCancels(std::function<void()> cancel) : cancel_(std::move(cancel)) {
    sigset_t interrupt;
    ::sigemptyset(&interrupt);
    ::sigaddset(&interrupt, SIGINT);
    // Blocked before the watcher starts, so that every thread of the CLI inherits the mask.
    ::pthread_sigmask(SIG_BLOCK, &interrupt, &previous_);
    signals_.reset(::signalfd(-1, &interrupt, SFD_CLOEXEC));
    stop_.reset(::eventfd(0, EFD_CLOEXEC));
    if (signals_ && stop_) watcher_ = std::thread([this] { watch(); });
}

InterruptCancels::~InterruptCancels() {
    if (watcher_.joinable()) {
        const std::uint64_t one = 1;
        [[maybe_unused]] const auto written = ::write(stop_.get(), &one, sizeof one);
        watcher_.join();
    }
    ::pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

void InterruptCancels::watch() {
    int interrupts = 0;
    for (;;) {
        pollfd fds[2] = {{signals_.get(), POLLIN, 0}, {stop_.get(), POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) continue;
        if (fds[1].revents) return;
        signalfd_siginfo info{};
        if (::read(signals_.get(), &info, sizeof info) != sizeof info) continue;
        if (++interrupts > 1) {
            std::fputs("\nStopped waiting; microcloudd finishes the rollback on its own.\n", stderr);
            ::_exit(130);
        }
        std::fputs("\nCancelling: the run stops at its next step and rolls back what it changed "
                   "(Ctrl-C again to stop waiting)\n",
                   stderr);
        try {
            cancel_();
        } catch (const std::exception& e) {
            std::fprintf(stderr, "Could not ask microcloudd to cancel: %s\n", e.what());
        }
    }
}

}  // namespace microcloud::host::cli
