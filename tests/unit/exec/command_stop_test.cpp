// tests/unit/exec/command_stop_test.cpp - run_command: timeout and cancellation stop the group.
#include "common/error.hpp"
#include "exec/command.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <thread>

namespace microcloud::host::exec {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// True while `pid` is a live process (not gone, not a zombie waiting for a reaper).
bool alive(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string pid_field, name, state;
    return stat >> pid_field >> name >> state && state != "Z" && state != "X";
}

bool gone_within(pid_t pid, std::chrono::milliseconds limit) {
    for (const auto end = Clock::now() + limit; Clock::now() < end; std::this_thread::sleep_for(10ms)) {
        if (!alive(pid)) {
            return true;
        }
    }
    return !alive(pid);
}

TEST(RunCommandStop, TimesOutAndKillsTheChild) {
    const auto start = Clock::now();
    const CommandOutcome outcome = run_command({.argv = {"sleep", "5"}, .timeout = 200ms});
    const auto elapsed = Clock::now() - start;
    EXPECT_TRUE(outcome.timed_out);
    EXPECT_FALSE(outcome.cancelled);
    EXPECT_EQ(outcome.exit_code, 128 + SIGTERM);
    EXPECT_GE(elapsed, 190ms);
    EXPECT_LT(elapsed, 1500ms);
}

TEST(RunCommandStop, KeepsOutputWrittenBeforeTheTimeout) {
    const CommandOutcome outcome =
        run_command({.argv = {"sh", "-c", "echo before; echo warn >&2; sleep 5"}, .timeout = 300ms});
    EXPECT_TRUE(outcome.timed_out);
    EXPECT_EQ(outcome.out, "before\n");
    EXPECT_EQ(outcome.err, "warn\n");
}

TEST(RunCommandStop, TimeoutKillsTheWholeProcessGroup) {
    const CommandOutcome outcome = run_command({.argv = {"sh", "-c", "sleep 30 & echo $!; wait"}, .timeout = 300ms});
    EXPECT_TRUE(outcome.timed_out);
    const pid_t grandchild = std::atoi(outcome.out.c_str());
    ASSERT_GT(grandchild, 0);
    EXPECT_TRUE(gone_within(grandchild, 1s)) << "grandchild " << grandchild << " survived";
}

TEST(RunCommandStop, SendsSigkillWhenSigtermIsIgnored) {
    const auto start = Clock::now();
    const CommandOutcome outcome = run_command({.argv = {"sh", "-c", "trap '' TERM; sleep 5"}, .timeout = 100ms});
    const auto elapsed = Clock::now() - start;
    EXPECT_TRUE(outcome.timed_out);
    EXPECT_EQ(outcome.exit_code, 128 + SIGKILL);
    EXPECT_GE(elapsed, 2000ms);
    EXPECT_LT(elapsed, 3500ms);
}

TEST(RunCommandStop, NoTimeoutWhenZero) {
    const CommandOutcome outcome = run_command({.argv = {"sh", "-c", "sleep 0.1; echo ok"}, .timeout = 0ms});
    EXPECT_FALSE(outcome.timed_out);
    EXPECT_EQ(outcome.out, "ok\n");
}

TEST(RunCommandStop, CancellationStopsTheChild) {
    std::atomic<bool> stop{false};
    std::thread canceller([&stop] {
        std::this_thread::sleep_for(150ms);
        stop = true;
    });
    const auto start = Clock::now();
    const CommandOutcome outcome = run_command({.argv = {"sleep", "5"}, .cancelled = [&stop] { return stop.load(); }});
    const auto elapsed = Clock::now() - start;
    canceller.join();
    EXPECT_TRUE(outcome.cancelled);
    EXPECT_FALSE(outcome.timed_out);
    EXPECT_EQ(outcome.exit_code, 128 + SIGTERM);
    EXPECT_LT(elapsed, 1500ms);
}

TEST(RunCommandStop, DoesNotStartWhenAlreadyCancelled) {
    const CommandOutcome outcome = run_command({.argv = {"sh", "-c", "echo ran"}, .cancelled = [] { return true; }});
    EXPECT_TRUE(outcome.cancelled);
    EXPECT_EQ(outcome.exit_code, -1);
    EXPECT_EQ(outcome.out, "");
}

TEST(RunCommandStop, TreatsAThrowingCancellationCheckAsCancelled) {
    int calls = 0;
    const CommandOutcome outcome = run_command({.argv = {"sleep", "5"}, .cancelled = [&calls]() -> bool {
                                                    if (++calls > 2) throw std::runtime_error("observer gone");
                                                    return false;
                                                }});
    EXPECT_TRUE(outcome.cancelled);
}

TEST(RunCommandStop, AFastCommandIsNotSlowedByTheCancellationCheck) {
    const auto start = Clock::now();
    const CommandOutcome outcome = run_command({.argv = {"true"}, .cancelled = [] { return false; }});
    EXPECT_EQ(outcome.exit_code, 0);
    EXPECT_FALSE(outcome.cancelled);
    EXPECT_LT(Clock::now() - start, 1s);
}

}  // namespace
}  // namespace microcloud::host::exec
