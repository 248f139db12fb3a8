// tests/unit/plugins/ovn/ovsdb_json_test.cpp - `ovs-vsctl --format=json list Open_vSwitch` output
// (captured from ovsdb-server 3.1.0) turned into plain JSON and chassis settings.
#include "ovsdb_json.hpp"

#include <gtest/gtest.h>

namespace ovn = microcloud::plugins::ovn;
using microcloud::sdk::Json;

namespace {

// A configured chassis after ovs-vswitchd started (one-element set written as a bare atom).
constexpr const char* kConfigured =
    R"({"data":[[["map",[["hostname","m1 \"x\""],["ovn-bridge-datapath-type","netdev"],["ovn-encap-ip","10.0.0.1"],)"
    R"(["ovn-encap-type","geneve"],["ovn-remote","tcp:10.0.0.1:6642,tcp:10.0.0.2:6642"],["system-id","abc-123"]]],)"
    R"("3.1.0",["set",["netdev","system"]]]],"headings":["external_ids","ovs_version","datapath_types"]})";

// A fresh database after `ovs-vsctl init`.
constexpr const char* kFresh =
    R"({"data":[[["map",[]],["set",[]],["set",[]]]],"headings":["external_ids","ovs_version","datapath_types"]})";

}  // namespace

TEST(OvsdbJson, PlainDatums) {
    EXPECT_EQ(ovn::plain_datum(Json::parse(R"(["set",[]])")), Json::array());
    EXPECT_EQ(ovn::plain_datum(Json::parse(R"(["set",["a","b"]])")), Json::parse(R"(["a","b"])"));
    EXPECT_EQ(ovn::plain_datum(Json::parse(R"(["map",[["k","v"]]])")), Json::parse(R"({"k":"v"})"));
    EXPECT_EQ(ovn::plain_datum(Json::parse(R"(["uuid","0b4c"])")), Json("0b4c"));
    EXPECT_EQ(ovn::plain_datum(Json::parse(R"(["set",[["uuid","a"],["uuid","b"]]])")), Json::parse(R"(["a","b"])"));
    EXPECT_EQ(ovn::plain_datum(Json(5)), Json(5));
}

TEST(OvsdbJson, ParsesAConfiguredOpenVswitchRow) {
    auto rows = ovn::parse_vsctl_list(kConfigured);
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), 1u);
    const Json& row = rows->front();
    EXPECT_EQ(row["ovs_version"], "3.1.0");
    EXPECT_EQ(ovn::string_list(row["datapath_types"]), (std::vector<std::string>{"netdev", "system"}));
    EXPECT_EQ(row["external_ids"]["hostname"], "m1 \"x\"");

    auto chassis = ovn::chassis_settings(row["external_ids"]);
    EXPECT_EQ(chassis["system-id"], "abc-123");
    EXPECT_EQ(chassis["ovn-remote"], "tcp:10.0.0.1:6642,tcp:10.0.0.2:6642");
    EXPECT_EQ(chassis["ovn-encap-type"], "geneve");
    EXPECT_EQ(chassis["ovn-encap-ip"], "10.0.0.1");
    EXPECT_EQ(chassis["ovn-bridge-datapath-type"], "netdev");
    EXPECT_FALSE(chassis.contains("hostname"));
}

TEST(OvsdbJson, ParsesAFreshDatabase) {
    auto rows = ovn::parse_vsctl_list(kFresh);
    ASSERT_TRUE(rows);
    const Json& row = rows->front();
    EXPECT_TRUE(ovn::string_list(row["datapath_types"]).empty());
    auto chassis = ovn::chassis_settings(row["external_ids"]);
    for (const char* key : ovn::kChassisKeys) EXPECT_TRUE(chassis[key].is_null()) << key;
}

TEST(OvsdbJson, SingleValueSetIsAList) {
    EXPECT_EQ(ovn::string_list(Json("netdev")), (std::vector<std::string>{"netdev"}));
    EXPECT_TRUE(ovn::string_list(Json(nullptr)).empty());
}

TEST(OvsdbJson, RejectsOtherShapes) {
    EXPECT_FALSE(ovn::parse_vsctl_list(""));
    EXPECT_FALSE(ovn::parse_vsctl_list("external_ids : {}"));
    EXPECT_FALSE(ovn::parse_vsctl_list(R"({"data":[[1,2]],"headings":["a"]})"));
    EXPECT_FALSE(ovn::parse_vsctl_list(R"({"headings":["a"]})"));
    EXPECT_TRUE(ovn::parse_vsctl_list(R"({"data":[],"headings":["a"]})")->empty());
}

TEST(OvsdbJson, QueryArgvNamesTheSocketAndATimeout) {
    auto argv = ovn::open_vswitch_query_argv("/usr/bin/ovs-vsctl", "/run/openvswitch/db.sock");
    ASSERT_GE(argv.size(), 3u);
    EXPECT_EQ(argv[0], "/usr/bin/ovs-vsctl");
    EXPECT_EQ(argv[1], "--db=unix:/run/openvswitch/db.sock");
    EXPECT_EQ(argv[2], "--timeout=2");
    EXPECT_EQ(argv.back(), "Open_vSwitch");
}
