// tests/unit/plugins/ceph/real_tools_test.cpp - the discovery code paths against the Ceph programs
// installed here: `--version` output, discovery with no cluster, and a status query of a
// configured but unreachable cluster (run inside a fresh network namespace, so nothing leaves
// the machine). Skips what is absent.
#include "ceph_discovery.hpp"
#include "ceph_programs.hpp"
#include "ceph_version.hpp"
#include "process_runner.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

namespace ceph = microcloud::plugins::ceph;
namespace fs = std::filesystem;
using microcloud::testing::run_process;
using microcloud::testing::running_as_root;
using microcloud::testing::TempDir;
using microcloud::sdk::CommandOptions;
using microcloud::sdk::Json;

namespace {

std::string path_env() {
    const char* path = std::getenv("PATH");
    return path ? path : "";
}

std::optional<fs::path> installed(const char* name) {
    return ceph::find_program(name, ceph::program_search_dirs(path_env()));
}

}  // namespace

TEST(CephRealTools, VersionOutputOfInstalledProgramsParses) {
    int found = 0;
    for (const auto& spec : ceph::kCephPrograms) {
        auto path = installed(spec.name);
        if (!path) continue;
        ++found;
        auto result = run_process({path->string(), "--version"});
        ASSERT_TRUE(result.ok()) << spec.name << ": " << result.err;
        auto version = ceph::parse_ceph_version(result.out);
        ASSERT_TRUE(version) << spec.name << " printed: " << result.out;
        EXPECT_FALSE(ceph::version_numbers(version->version).empty()) << result.out;
    }
    if (found == 0) GTEST_SKIP() << "no Ceph program is installed";
}

TEST(CephRealTools, DiscoveryWithoutACluster) {
    TempDir tmp;
    ceph::CephConfig config{.conf_dir = (tmp.path() / "etc").string(), .cluster = "ceph", .data_dir = (tmp.path() / "data").string()};
    Json report = ceph::ceph_report(ceph::observe_ceph(config, run_process, path_env()));
    bool all_installed = true;
    for (const auto& spec : ceph::kCephPrograms) all_installed = all_installed && installed(spec.name).has_value();
    EXPECT_EQ(report["present"], all_installed) << report["reasons"].dump();
    EXPECT_EQ(report["programs"]["ceph"]["installed"], installed("ceph").has_value());
    EXPECT_EQ(report["cluster"]["configured"], false);
    EXPECT_EQ(report["health"]["checked"], false);
}

TEST(CephRealTools, UnreachableClusterIsReportedNotThrown) {
    if (!installed("ceph")) GTEST_SKIP() << "the ceph client is not installed";
    if (!running_as_root() || !installed("unshare")) GTEST_SKIP() << "needs root and unshare for a network namespace";
    TempDir tmp;
    tmp.write("etc/lab.conf", "[global]\n\tfsid = 11111111-2222-3333-4444-555555555555\n\tmon_host = 127.0.0.1:6789\n");
    ceph::CephConfig config{.conf_dir = (tmp.path() / "etc").string(), .cluster = "lab", .data_dir = (tmp.path() / "data").string()};
    // Every command runs inside a new, empty network namespace.
    ceph::CommandRunner isolated = [](const std::vector<std::string>& argv, const CommandOptions& options) {
        std::vector<std::string> wrapped = {"unshare", "-n"};
        wrapped.insert(wrapped.end(), argv.begin(), argv.end());
        return run_process(wrapped, options);
    };
    Json report = ceph::ceph_report(ceph::observe_ceph(config, isolated, path_env()));
    EXPECT_EQ(report["cluster"]["configured"], true);
    EXPECT_EQ(report["cluster"]["fsid"], "11111111-2222-3333-4444-555555555555");
    EXPECT_EQ(report["health"]["checked"], true);
    EXPECT_EQ(report["health"]["reachable"], false) << report["health"].dump();
    EXPECT_TRUE(report["health"]["error"].is_string());
}
