// tests/unit/sdk/programs_test.cpp - the SDK's program helpers: lookup over PATH and the
// standard dirs, `--version` probes through an injected runner, versions from a package database
// (a made-up dpkg directory), failure text, versions.
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

namespace {

// A dpkg directory where `package` (at `version`, with `status`) owns the files in `owned`.
fs::path fake_dpkg(const TempDir& tmp, const std::string& package, const std::string& version,
                   const std::vector<fs::path>& owned, const std::string& status = "install ok installed") {
    std::string list;
    for (const fs::path& file : owned) list += file.string() + "\n";
    tmp.write("dpkg/info/" + package + ".list", list);
    tmp.write("dpkg/status", "Package: " + package + "-doc\nStatus: install ok installed\nVersion: 9.9-1\n\n"
                             "Package: " + package + "\nStatus: " + status + "\nPriority: optional\nVersion: " +
                                 version + "\nDescription: test\n\n");
    return tmp.path() / "dpkg";
}

CommandResult never_run(const std::vector<std::string>& argv, const CommandOptions&) {
    ADD_FAILURE() << "ran " << argv.front();
    return {};
}

}  // namespace

TEST(UpstreamVersion, LeavesOutEpochRevisionAndRepackSuffix) {
    EXPECT_EQ(programs::upstream_version("16.2.15+ds-0+deb12u2"), "16.2.15");
    EXPECT_EQ(programs::upstream_version("3.1.0-2+deb12u1"), "3.1.0");
    EXPECT_EQ(programs::upstream_version("23.03.1-1~deb12u2"), "23.03.1");
    EXPECT_EQ(programs::upstream_version("1:2.3~rc1-1"), "2.3");
    EXPECT_EQ(programs::upstream_version("5.0.2"), "5.0.2");
}

TEST(InstalledPackageVersion, TheOwningInstalledPackageGivesItsVersion) {
    TempDir tmp;
    const fs::path program = tmp.write("usr/bin/ceph-mon", "");
    const fs::path dpkg = fake_dpkg(tmp, "ceph-mon", "16.2.15+ds-0+deb12u2", {program});
    EXPECT_EQ(programs::installed_package_version("ceph-mon", program, dpkg), "16.2.15");
    // Listed under /usr, found through a merged /usr's /bin (and the other way round).
    const fs::path merged = tmp.write("bin/ovn-nbctl", "");
    const fs::path dpkg2 = fake_dpkg(tmp, "ovn-common", "23.03.1-1", {"/usr" + merged.string()});
    EXPECT_EQ(programs::installed_package_version("ovn-common", merged, dpkg2), "23.03.1");
}

TEST(InstalledPackageVersion, NoVersionUnlessInstalledOwnedAndUnchanged) {
    TempDir tmp;
    const fs::path program = tmp.write("usr/bin/ceph-mon", "");
    const fs::path other = tmp.write("opt/ceph-mon", "");
    EXPECT_FALSE(programs::installed_package_version("ceph-mon", program, tmp.path() / "no-dpkg"));
    fake_dpkg(tmp, "ceph-mon", "16.2.15-1", {other});  // another file is the package's
    EXPECT_FALSE(programs::installed_package_version("ceph-mon", program, tmp.path() / "dpkg"));
    fake_dpkg(tmp, "ceph-mon", "16.2.15-1", {program}, "deinstall ok config-files");
    EXPECT_FALSE(programs::installed_package_version("ceph-mon", program, tmp.path() / "dpkg"));
    EXPECT_FALSE(programs::installed_package_version("ceph-mgr", program, tmp.path() / "dpkg"));
    // Replaced after the package was installed: its file is newer than the package's list.
    fake_dpkg(tmp, "ceph-mon", "16.2.15-1", {program});
    fs::last_write_time(program, fs::last_write_time(tmp.path() / "dpkg/info/ceph-mon.list") + std::chrono::hours(1));
    EXPECT_FALSE(programs::installed_package_version("ceph-mon", program, tmp.path() / "dpkg"));
}

TEST(ProbeProgramOrPackage, TakesThePackagesVersionWithoutRunning) {
    TempDir tmp;
    const fs::path program = tmp.write("bin/ovs-vsctl", "");
    ::chmod(program.c_str(), 0755);
    const fs::path dpkg = fake_dpkg(tmp, "openvswitch-switch", "3.1.0-2+deb12u1", {program});
    const auto probe =
        programs::probe_program_or_package("ovs-vsctl", "openvswitch-switch", {tmp.path() / "bin"}, never_run, dpkg);
    EXPECT_EQ(probe.path, program.string());
    EXPECT_EQ(probe.package_version, "3.1.0");
    EXPECT_FALSE(probe.run);
}

TEST(ProbeProgramOrPackage, RunsVersionWhenNoPackageOwnsTheFile) {
    TempDir tmp;
    const fs::path program = tmp.write("bin/ovs-vsctl", "");
    ::chmod(program.c_str(), 0755);
    int runs = 0;
    const auto probe = programs::probe_program_or_package(
        "ovs-vsctl", "openvswitch-switch", {tmp.path() / "bin"},
        [&runs](const std::vector<std::string>&, const CommandOptions&) {
            ++runs;
            return CommandResult{0, "ovs-vsctl (Open vSwitch) 3.2.0\n", "", false};
        },
        tmp.path() / "no-dpkg");
    EXPECT_EQ(runs, 1);
    EXPECT_EQ(probe.package_version, "");
    ASSERT_TRUE(probe.run);
    EXPECT_EQ(probe.run->out, "ovs-vsctl (Open vSwitch) 3.2.0\n");
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
