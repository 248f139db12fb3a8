// tests/unit/plugins/ovn/tool_version_test.cpp - `--version` output of OVS/OVN programs (as
// captured from Debian 12's openvswitch 3.1.0 and ovn 23.03.1) and version comparison.
#include "tool_version.hpp"

#include <gtest/gtest.h>

namespace ovn = microcloud::plugins::ovn;

TEST(ToolVersion, ParsesOvsVsctl) {
    auto v = ovn::parse_tool_version("ovs-vsctl (Open vSwitch) 3.1.0\nDB Schema 8.3.1\n");
    ASSERT_TRUE(v);
    EXPECT_EQ(v->program, "ovs-vsctl");
    EXPECT_EQ(v->version, "3.1.0");
    EXPECT_EQ(v->db_schema, "8.3.1");
    EXPECT_EQ(v->ovs_library, "");
}

TEST(ToolVersion, ParsesOvsDaemons) {
    EXPECT_EQ(ovn::parse_tool_version("ovs-vswitchd (Open vSwitch) 3.1.0\n")->version, "3.1.0");
    EXPECT_EQ(ovn::parse_tool_version("ovsdb-server (Open vSwitch) 2.17.9\n")->version, "2.17.9");
}

TEST(ToolVersion, ParsesOvnPrograms) {
    auto nbctl = ovn::parse_tool_version("ovn-nbctl 23.03.1\nOpen vSwitch Library 3.1.0\nDB Schema 7.0.0\n");
    ASSERT_TRUE(nbctl);
    EXPECT_EQ(nbctl->version, "23.03.1");
    EXPECT_EQ(nbctl->ovs_library, "3.1.0");
    EXPECT_EQ(nbctl->db_schema, "7.0.0");

    auto controller = ovn::parse_tool_version(
        "ovn-controller 23.03.1\nOpen vSwitch Library 3.1.0\nOpenFlow versions 0x6:0x6\nSB DB Schema 20.27.0\n");
    ASSERT_TRUE(controller);
    EXPECT_EQ(controller->program, "ovn-controller");
    EXPECT_EQ(controller->sb_db_schema, "20.27.0");
    EXPECT_EQ(controller->db_schema, "");
}

TEST(ToolVersion, RejectsOutputWithoutVersion) {
    EXPECT_FALSE(ovn::parse_tool_version(""));
    EXPECT_FALSE(ovn::parse_tool_version("\n\n"));
    EXPECT_FALSE(ovn::parse_tool_version("ovs-vsctl: unknown option\n"));
    EXPECT_FALSE(ovn::parse_tool_version("usage"));
}

TEST(ToolVersion, ComparesDottedVersions) {
    EXPECT_EQ(ovn::version_numbers("23.03.1"), (std::vector<int>{23, 3, 1}));
    EXPECT_EQ(ovn::version_numbers("2.17.9-0ubuntu1"), (std::vector<int>{2, 17, 9}));
    EXPECT_TRUE(ovn::version_numbers("v1").empty());
    EXPECT_EQ(ovn::version_at_least("23.03.1", "22.03"), true);
    EXPECT_EQ(ovn::version_at_least("22.03", "22.03"), true);
    EXPECT_EQ(ovn::version_at_least("22.03.0", "22.03"), true);
    EXPECT_EQ(ovn::version_at_least("21.12.3", "22.03"), false);
    EXPECT_EQ(ovn::version_at_least("2.9.0", "2.17"), false);
    EXPECT_EQ(ovn::version_at_least("3.1.0", "2.17"), true);
    EXPECT_EQ(ovn::version_at_least("unknown", "2.17"), std::nullopt);
}
