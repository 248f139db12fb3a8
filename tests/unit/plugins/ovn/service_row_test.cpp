// tests/unit/plugins/ovn/service_row_test.cpp - this member's row in `microcloud service list` out of
// the OVN status hook's report: roles per database and chassis, ONLINE or what is wrong.
#include "ovn_cluster.hpp"

#include <gtest/gtest.h>

namespace microcloud::plugins::ovn {
namespace {

sdk::Json formed(const std::string& sb_status, const std::string& controller) {
    return {{"databases",
             {{"OVN_Northbound", {{"status", "cluster member"}, {"role", "leader"}, {"leader", "self"}}},
              {"OVN_Southbound", {{"status", sb_status}, {"role", "follower"}, {"leader", "3f2a"}}}}},
            {"controller", controller},
            {"chassis_registered", true},
            {"chassis", {"m1", "m2", "m3"}}};
}

TEST(OvnServiceRow, AHealthyMemberIsOnlineWithItsRoles) {
    const sdk::Json row = service_row(formed("cluster member", "connected"));
    EXPECT_EQ(row["role"], "NB leader\nSB follower\nchassis");
    EXPECT_EQ(row["status"], "ONLINE");
}

TEST(OvnServiceRow, SaysWhatIsWrong) {
    const sdk::Json row = service_row(formed("joining cluster", "not connected"));
    EXPECT_EQ(row["status"], "SB: joining cluster; controller not connected");
}

TEST(OvnServiceRow, NothingWhereOvnIsNotFormed) {
    EXPECT_TRUE(service_row({{"databases", sdk::Json::object()}, {"controller", "not running"}}).is_null());
}

}  // namespace
}  // namespace microcloud::plugins::ovn
