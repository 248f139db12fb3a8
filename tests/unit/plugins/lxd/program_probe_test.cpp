// tests/unit/plugins/lxd/program_probe_test.cpp - reading `lxd --version`.
#include "program_probe.hpp"

#include <gtest/gtest.h>

namespace microcloud::plugins::lxd {
namespace {

sdk::CommandResult ran(int exit_code, std::string out, std::string err = {}) {
    sdk::CommandResult r;
    r.exit_code = exit_code;
    r.out = std::move(out);
    r.err = std::move(err);
    return r;
}

TEST(LxdProgramProbe, PackageVersion) {
    const ProgramProbe p = read_version_answer(ran(0, "5.0.2\n"));
    EXPECT_TRUE(p.installed);
    EXPECT_EQ(p.version, "5.0.2");
}

TEST(LxdProgramProbe, SnapVersionKeepsTheNumberOnly) {
    EXPECT_EQ(read_version_answer(ran(0, "5.21.1 LTS\n")).version, "5.21.1");
}

TEST(LxdProgramProbe, FailuresSayWhy) {
    EXPECT_FALSE(read_version_answer(ran(127, "")).installed);
    const ProgramProbe failed = read_version_answer(ran(1, "", "Error: boom\nmore"));
    EXPECT_FALSE(failed.installed);
    EXPECT_EQ(failed.problem, "`lxd --version` exited with code 1: Error: boom");
    EXPECT_FALSE(read_version_answer(ran(0, "  \n")).installed);
    sdk::CommandResult slow = ran(-1, "");
    slow.timed_out = true;
    EXPECT_EQ(read_version_answer(slow).problem, "`lxd --version` did not finish in time");
    EXPECT_EQ(program_not_started("no such file").problem, "`lxd --version` could not be started: no such file");
}

}  // namespace
}  // namespace microcloud::plugins::lxd
