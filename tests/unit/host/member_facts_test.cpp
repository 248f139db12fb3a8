// tests/unit/host/member_facts_test.cpp - the daemon's member answers its facts (what the host and,
// through HostServices, the plugins read) with only the config's `disks` when it names them.
#include "daemon/member.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

using namespace microcloud::host;
using microcloud::testing::TempDir;

TEST(MemberFacts, ConfiguredDisksConfineTheFacts) {
    TempDir dir;
    daemon::DaemonConfig every;
    every.state_dir = dir.path();
    const nlohmann::json machine = daemon::Member(every).system_facts();
    ASSERT_TRUE(machine["disks"].is_array());

    daemon::DaemonConfig none = every;
    none.disks = std::vector<std::string>{};
    const nlohmann::json confined = daemon::Member(none).system_facts();
    EXPECT_TRUE(confined["disks"].empty()) << confined["disks"].dump();
    EXPECT_EQ(confined["hostname"], machine["hostname"]);

    if (machine["disks"].empty()) GTEST_SKIP() << "this machine has no disk to keep";
    daemon::DaemonConfig one = every;
    const std::string path = machine["disks"].back().at("path");
    one.disks = std::vector<std::string>{path};
    const nlohmann::json kept = daemon::Member(one).system_facts();
    ASSERT_EQ(kept["disks"].size(), 1u) << kept["disks"].dump();
    EXPECT_EQ(kept["disks"][0]["path"], path);
}
