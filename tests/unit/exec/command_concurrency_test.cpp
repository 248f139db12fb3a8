// tests/unit/exec/command_concurrency_test.cpp - run_command from many threads at once.
#include "exec/command.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace microcloud::host::exec {
namespace {

using namespace std::chrono_literals;

TEST(RunCommandConcurrency, ManyThreadsGetTheirOwnOutput) {
    constexpr int kThreads = 16;
    constexpr int kRunsEach = 4;
    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int thread = 0; thread < kThreads; ++thread) {
        threads.emplace_back([thread, &mismatches] {
            for (int run = 0; run < kRunsEach; ++run) {
                const std::string tag = std::to_string(thread) + "-" + std::to_string(run);
                const CommandOutcome outcome =
                    run_command({.argv = {"sh", "-c", "cat; echo \"$1\" >&2; exit $2", "sh", tag, std::to_string(run)},
                                 .stdin_data = "in-" + tag});
                if (outcome.out != "in-" + tag || outcome.err != tag + "\n" || outcome.exit_code != run) {
                    ++mismatches;
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(mismatches, 0);
}

TEST(RunCommandConcurrency, TimeoutsInOneThreadDoNotDisturbOthers) {
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int thread = 0; thread < 8; ++thread) {
        threads.emplace_back([thread, &failures] {
            if (thread % 2 == 0) {
                const CommandOutcome outcome = run_command({.argv = {"sleep", "5"}, .timeout = 200ms});
                failures += outcome.timed_out ? 0 : 1;
            } else {
                const CommandOutcome outcome = run_command({.argv = {"sh", "-c", "sleep 0.3; echo fine"}});
                failures += outcome.out == "fine\n" && !outcome.timed_out ? 0 : 1;
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(failures, 0);
}

}  // namespace
}  // namespace microcloud::host::exec
