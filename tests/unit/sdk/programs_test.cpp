// tests/unit/sdk/programs_test.cpp - the SDK's program helpers: lookup over PATH and the
// standard dirs, `--version` probes through an injected runner, failure text, versions.
#include <microcloud/sdk/programs.hpp>

#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

namespace programs = microcloud::sdk::programs;
namespace fs = std::filesystem;
using microcloud::testing::TempDir;
using microcloud::sdk::CommandOptions;
using microcloud::sdk::CommandResult;
using microcloud::sdk::Error;

TEST(ProgramSearchDirs, PathFirstThenStandardDirsWithoutDuplicates) {
    auto dirs = programs::program_search_dirs("/opt/ovs/bin:/usr/bin:relative/bin::/usr/bin");
    ASSERT_GE(dirs.size(), 2u);
    EXPECT_EQ(dirs[0], fs::path("/opt/ovs/bin"));
    EXPECT_EQ(dirs[1], fs::path("/usr/bin"));
    EXPECT_EQ(std::count(dirs.begin(), dirs.end(), fs::path("/usr/bin")), 1);
    EXPECT_EQ(std::count(dirs.begin(), dirs.end(), fs::path("relative/bin")), 0);
    EXPECT_EQ(std::count(dirs.begin(), dirs.end(), fs::path("/usr/sbin")), 1);  // daemons live here
    EXPECT_EQ(std::count(dirs.begin(), dirs.end(), fs::path("/sbin")), 1);
}

TEST(FindProgram, FindsOnlyExecutableFiles) {
    TempDir tmp;
    auto plain = tmp.write("a/ovn-northd", "#!/bin/sh\n");
    auto exec = tmp.write("b/ovn-northd", "#!/bin/sh\n");
    ::chmod(exec.c_str(), 0755);
    tmp.mkdir("c/ovs-vsctl");  // a directory is not a program
    std::vector<fs::path> dirs = {tmp.path() / "a", tmp.path() / "c", tmp.path() / "b"};
    EXPECT_EQ(programs::find_program("ovn-northd", dirs), exec);
    EXPECT_FALSE(programs::find_program("ovs-vsctl", dirs));
    EXPECT_FALSE(programs::find_program("ovn-controller", dirs));
}

TEST(ProbeProgram, MissingProgramIsNotRun) {
    TempDir tmp;
    bool ran = false;
    auto probe = programs::probe_program("ovn-northd", "ovn-central", {tmp.path()},
                                    [&](const std::vector<std::string>&, const CommandOptions&) {
                                        ran = true;
                                        return CommandResult{};
                                    });
    EXPECT_FALSE(ran);
    EXPECT_TRUE(probe.path.empty());
    EXPECT_EQ(probe.package, "ovn-central");
    EXPECT_FALSE(probe.run);
}

TEST(ProbeProgram, RunsVersionAndKeepsStartFailures) {
    TempDir tmp;
    auto exec = tmp.write("ovs-vsctl", "");
    ::chmod(exec.c_str(), 0755);
    std::vector<std::string> seen;
    auto probe = programs::probe_program("ovs-vsctl", "openvswitch-switch", {tmp.path()},
                                    [&](const std::vector<std::string>& argv, const CommandOptions&) {
                                        seen = argv;
                                        return CommandResult{0, "ovs-vsctl (Open vSwitch) 3.1.0\n", "", false};
                                    });
    EXPECT_EQ(seen, (std::vector<std::string>{exec.string(), "--version"}));
    ASSERT_TRUE(probe.run);
    EXPECT_TRUE(probe.run->ok());

    auto failed = programs::probe_program("ovs-vsctl", "openvswitch-switch", {tmp.path()},
                                     [](const std::vector<std::string>&, const CommandOptions&) -> CommandResult {
                                         throw Error("command_not_started", "exec format error");
                                     });
    EXPECT_FALSE(failed.run);
    EXPECT_EQ(failed.start_error, "exec format error");
}

TEST(FailureText, SaysHowTheCommandEnded) {
    EXPECT_EQ(programs::failure_text(CommandResult{-1, "", "", true}), "timed out");
    EXPECT_EQ(
        programs::failure_text(CommandResult{1, "",
                                        "ovs-vsctl: unix:/x/db.sock: database connection failed "
                                        "(No such file or directory)\n",
                                        false}),
        "exited with status 1: ovs-vsctl: unix:/x/db.sock: database connection failed (No such file or directory)");
    EXPECT_EQ(programs::failure_text(CommandResult{2, "usage\n\n", "", false}), "exited with status 2: usage");
    EXPECT_EQ(programs::last_line("a\n  b  \n\n"), "b");
    EXPECT_EQ(programs::last_line(""), "");
}

TEST(Versions, ComparesDottedVersionsWithMissingPartsAsZero) {
    EXPECT_EQ(programs::version_numbers("2.17.9-1ubuntu"), (std::vector<int>{2, 17, 9}));
    EXPECT_EQ(programs::version_at_least("22.03", "22.03.0"), true);
    EXPECT_EQ(programs::version_at_least("21.12.3", "22.03"), false);
    EXPECT_EQ(programs::version_at_least("Development", "16.2"), std::nullopt);
}
