// tests/unit/plugins/lxd/service_status_test.cpp - the LXD status hook's shaping of LXD's answers:
// a standalone LXD, a cluster member with its roles, and a member whose own entry cannot be read.
#include "service_status.hpp"

#include <gtest/gtest.h>

namespace microcloud::plugins::lxd {
namespace {

sdk::Json server(bool clustered) {
    return {{"environment", {{"server_version", "5.0.2"}, {"server_clustered", clustered}, {"server_name", "m2"}}}};
}

TEST(LxdServiceStatus, AStandaloneLxdHasNoServiceRow) {
    const sdk::Json out = service_status(server(false), [](const std::string& path) -> sdk::Json {
        ADD_FAILURE() << "asked " << path;
        return nullptr;
    });
    EXPECT_EQ(out["clustered"], false);
    EXPECT_FALSE(out.contains("service"));
    EXPECT_EQ(out["summary"], "LXD 5.0.2, not clustered");
}

TEST(LxdServiceStatus, AClusterMemberReportsItsRolesStatusAndUrl) {
    std::string asked;
    const sdk::Json out = service_status(server(true), [&](const std::string& path) -> sdk::Json {
        asked = path;
        return {{"server_name", "m2"},
                {"url", "https://10.171.1.12:8443"},
                {"roles", {"database", "ovn-chassis"}},
                {"status", "Online"}};
    });
    EXPECT_EQ(asked, "/1.0/cluster/members/m2");
    EXPECT_EQ(out["service"]["role"], "database\novn-chassis");
    EXPECT_EQ(out["service"]["status"], "Online");
    EXPECT_EQ(out["service"]["address"], "https://10.171.1.12:8443");
    EXPECT_EQ(out["summary"], "LXD 5.0.2, clustered as m2: Online (database,ovn-chassis)");
}

TEST(LxdServiceStatus, AnUnreadableMemberEntryIsReportedNotThrown) {
    const sdk::Json out = service_status(server(true), [](const std::string&) -> sdk::Json {
        throw sdk::Error("lxd_error", "LXD answered 500");
    });
    EXPECT_FALSE(out.contains("service"));
    EXPECT_NE(out["summary"].get<std::string>().find("its state is unknown: LXD answered 500"), std::string::npos);
}

}  // namespace
}  // namespace microcloud::plugins::lxd
