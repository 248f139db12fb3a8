// tests/unit/exec/command_test.cpp - run_command: output, exit codes, stdin, env and refusals.
#include "exec/command.hpp"
#include "common/error.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <fcntl.h>
#include <unistd.h>

namespace microcloud::host::exec {
namespace {

CommandOutcome shell(const std::string& script, CommandSpec spec = {}) {
    spec.argv = {"sh", "-c", script};
    return run_command(spec);
}

TEST(RunCommand, CapturesStdoutStderrAndExitCode) {
    const CommandOutcome outcome = shell("echo out; echo err >&2; exit 3");
    EXPECT_EQ(outcome.exit_code, 3);
    EXPECT_EQ(outcome.out, "out\n");
    EXPECT_EQ(outcome.err, "err\n");
    EXPECT_FALSE(outcome.timed_out);
    EXPECT_FALSE(outcome.cancelled);
}

TEST(RunCommand, ReportsZeroForSuccess) {
    EXPECT_EQ(run_command({.argv = {"true"}}).exit_code, 0);
}

TEST(RunCommand, Reports128PlusSignalWhenKilledBySignal) {
    EXPECT_EQ(shell("kill -KILL $$").exit_code, 128 + 9);
}

TEST(RunCommand, PassesArgumentsUnchanged) {
    const CommandOutcome outcome = run_command({.argv = {"printf", "%s|", "a b", "", "$HOME", "*"}});
    EXPECT_EQ(outcome.out, "a b||$HOME|*|");
}

TEST(RunCommand, FeedsStdinThenClosesIt) {
    const CommandOutcome outcome = run_command({.argv = {"cat"}, .stdin_data = "hello\nworld"});
    EXPECT_EQ(outcome.exit_code, 0);
    EXPECT_EQ(outcome.out, "hello\nworld");
}

TEST(RunCommand, GivesEmptyStdinWhenNoneIsSet) {
    EXPECT_EQ(run_command({.argv = {"cat"}}).out, "");
}

TEST(RunCommand, MovesLargeDataBothWaysWithoutDeadlock) {
    std::string input;
    for (int line = 0; line < 40000; ++line) {
        input += "line " + std::to_string(line) + " of a large stdin\n";
    }
    const CommandOutcome outcome = shell("cat; cat >&2 </dev/null; echo done >&2", {.stdin_data = input});
    EXPECT_EQ(outcome.exit_code, 0);
    EXPECT_EQ(outcome.out, input);
    EXPECT_EQ(outcome.err, "done\n");
}

TEST(RunCommand, SurvivesAChildThatIgnoresItsStdin) {
    const CommandOutcome outcome = run_command({.argv = {"true"}, .stdin_data = std::string(1 << 20, 'x')});
    EXPECT_EQ(outcome.exit_code, 0);  // reaching here means SIGPIPE did not end the test
}

TEST(RunCommand, AddsEnvToTheInheritedEnvironment) {
    const CommandOutcome outcome =
        shell("echo \"$MC_TEST_VALUE\"; echo \"$HOME\"; command -v sh >/dev/null && echo path-kept",
              {.env = {{"MC_TEST_VALUE", "with spaces = fine"}, {"HOME", "/nowhere"}}});
    EXPECT_EQ(outcome.out, "with spaces = fine\n/nowhere\npath-kept\n");
}

TEST(RunCommand, WaitsForTheChildNotForItsPipes) {
    const auto start = std::chrono::steady_clock::now();
    const CommandOutcome outcome = shell("exec >&- 2>&-; sleep 0.2; exit 4");
    EXPECT_EQ(outcome.exit_code, 4);
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(150));
}

TEST(RunCommand, DoesNotWaitForBackgroundProcessesTheChildLeaves) {
    const auto start = std::chrono::steady_clock::now();
    const CommandOutcome outcome = shell("sleep 5 & echo $!");
    EXPECT_EQ(outcome.exit_code, 0);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
    const pid_t leftover = std::atoi(outcome.out.c_str());
    ASSERT_GT(leftover, 0);
    ::kill(leftover, SIGKILL);
}

TEST(RunCommand, KeepsTheDaemonsDescriptorsOutOfTheChild) {
    const int opened = ::open("/dev/null", O_RDONLY);  // deliberately without O_CLOEXEC
    const int inheritable = ::fcntl(opened, F_DUPFD, 60);
    ::close(opened);
    ASSERT_GE(inheritable, 60);
    const CommandOutcome outcome = shell("ls /proc/$$/fd");
    ::close(inheritable);
    EXPECT_EQ(outcome.out.find(std::to_string(inheritable)), std::string::npos) << outcome.out;
}

TEST(RunCommand, LeavesNoDescriptorOpenInTheCaller) {
    const auto count_fds = [] { return std::distance(std::filesystem::directory_iterator("/proc/self/fd"), {}); };
    const auto before = count_fds();
    for (int i = 0; i < 20; ++i) {
        shell("echo x; echo y >&2", {.stdin_data = "z"});
    }
    EXPECT_THROW(run_command({.argv = {"/nonexistent/program"}}), Error);
    EXPECT_EQ(count_fds(), before);
}

TEST(RunCommand, RefusesAProgramThatDoesNotExist) {
    try {
        run_command({.argv = {"/nonexistent/program", "arg"}});
        FAIL() << "no error";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "command_not_found");
        EXPECT_STREQ(error.what(), "cannot run \"/nonexistent/program\": No such file or directory");
        EXPECT_EQ(error.details().at("errno"), ENOENT);
    }
}

TEST(RunCommand, LooksProgramsUpInPath) {
    try {
        run_command({.argv = {"microcloud-test-no-such-program"}});
        FAIL() << "no error";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "command_not_found");
        EXPECT_STREQ(error.what(), "cannot run \"microcloud-test-no-such-program\": No such file or directory");
    }
}

TEST(RunCommand, RefusesAFileThatIsNotExecutable) {
    char dir_template[] = "/tmp/mc-exec-XXXXXX";
    const std::filesystem::path dir = ::mkdtemp(dir_template);
    const auto script = dir / "script.sh";
    std::ofstream(script) << "#!/bin/sh\necho hi\n";
    std::filesystem::permissions(script, std::filesystem::perms::owner_read);
    try {
        run_command({.argv = {script.string()}});
        ADD_FAILURE() << "no error";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "command_not_found");
        EXPECT_EQ(std::string(error.what()), "cannot run \"" + script.string() + "\": Permission denied");
    }
    std::filesystem::remove_all(dir);
}

TEST(RunCommand, RefusesAnEmptyCommand) {
    try {
        run_command({});
        FAIL() << "no error";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "invalid_command");
    }
    EXPECT_THROW(run_command({.argv = {""}}), Error);
}

TEST(RunCommand, RefusesAnInvalidEnvironmentName) {
    try {
        run_command({.argv = {"true"}, .env = {{"A=B", "x"}}});
        FAIL() << "no error";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "invalid_command");
        EXPECT_NE(std::string(error.what()).find("\"A=B\""), std::string::npos) << error.what();
    }
}

}  // namespace
}  // namespace microcloud::host::exec
