// tests/unit/plugins/ovn/ovsdb_json_test.cpp - OVSDB datums and select rows (the Open_vSwitch row as
// ovsdb-server 3.1.0 answers it) turned into plain JSON and chassis settings.
#include "ovsdb_json.hpp"

#include <gtest/gtest.h>

namespace ovn = microcloud::plugins::ovn;
using microcloud::sdk::Json;

namespace {

// A configured chassis after ovs-vswitchd started (one-element set written as a bare atom).
constexpr const char* kConfigured =
    R"({"external_ids":["map",[["hostname","m1 \"x\""],["ovn-bridge-datapath-type","netdev"],)"
    R"(["ovn-encap-ip","10.0.0.1"],["ovn-encap-type","geneve"],["ovn-remote","tcp:10.0.0.1:6642,tcp:10.0.0.2:6642"],)"
    R"(["system-id","abc-123"]]],"ovs_version":"3.1.0","datapath_types":["set",["netdev","system"]]})";

// A fresh database after `ovs-vsctl init`.
constexpr const char* kFresh = R"({"external_ids":["map",[]],"ovs_version":["set",[]],"datapath_types":["set",[]]})";

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
    const Json row = ovn::plain_row(Json::parse(kConfigured));
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
    const Json row = ovn::plain_row(Json::parse(kFresh));
    EXPECT_TRUE(ovn::string_list(row["datapath_types"]).empty());
    auto chassis = ovn::chassis_settings(row["external_ids"]);
    for (const char* key : ovn::kChassisKeys) EXPECT_TRUE(chassis[key].is_null()) << key;
}

TEST(OvsdbJson, SingleValueSetIsAList) {
    EXPECT_EQ(ovn::string_list(Json("netdev")), (std::vector<std::string>{"netdev"}));
    EXPECT_TRUE(ovn::string_list(Json(nullptr)).empty());
}

TEST(OvsdbJson, ARowThatIsNotAnObjectIsEmpty) {
    EXPECT_EQ(ovn::plain_row(Json::parse(R"([["map",[]]])")), Json::object());
    EXPECT_EQ(ovn::plain_row(Json("external_ids")), Json::object());
    EXPECT_EQ(ovn::plain_row(Json::object()), Json::object());
}
