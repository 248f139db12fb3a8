// tests/unit/plugins/lxd/plan_rules_test.cpp - the validate rules over discovery reports shaped
// as the discover hook writes them.
#include "plan_rules.hpp"

#include <gtest/gtest.h>

namespace microcloud::plugins::lxd {
namespace {

using sdk::Json;

Json standalone_report() {
    return Json{
        {"running", true},
        {"version", "5.0.2"},
        {"clustered", false},
        {"server_name", "none"},
        {"api_extensions", required_extensions()},
        {"storage_drivers", Json::array({{{"name", "dir"}, {"remote", false}},
                                         {{"name", "lvm"}, {"remote", false}},
                                         {{"name", "ceph"}, {"remote", true}}})},
        {"storage_pools", Json::array()},
        {"networks", Json::array()},
        {"disks",
         Json::array({{{"path", "/dev/loop0"}, {"name", "loop0"}, {"in_use", false}, {"partitions", Json::array()}},
                      {{"path", "/dev/vda"}, {"name", "vda"}, {"in_use", true}, {"in_use_reason", "mounted at /"}}})},
        {"reasons", Json::array()}};
}

Json plan(bool bootstrap = true) {
    Json reports;
    for (const char* m : {"m1", "m2", "m3"}) reports[m] = standalone_report();
    return Json{{"members", {"m1", "m2", "m3"}},
                {"joining", {"m2", "m3"}},
                {"bootstrap", bootstrap},
                {"config", Json::object()},
                {"preseed", {{"systems", Json::array({{{"name", "m1"}}, {{"name", "m2"}}, {{"name", "m3"}}})}}},
                {"discovery", reports}};
}

Json errors(const Json& problems) {
    Json out = Json::array();
    for (const Json& p : problems)
        if (p.value("severity", "") == "error") out.push_back(p);
    return out;
}

// The one error of `input`, checked to name `field` and hold `words`.
void expect_one_error(const Json& input, const std::string& field, const std::string& words) {
    const Json found = errors(plan_problems(input));
    ASSERT_EQ(found.size(), 1u) << found.dump(2);
    EXPECT_EQ(found[0].at("field"), field);
    EXPECT_NE(found[0].value("message", "").find(words), std::string::npos) << found[0].dump();
}

TEST(LxdPlanRules, ThreeStandaloneServersAreFine) {
    EXPECT_EQ(plan_problems(plan()), Json::array());
}

TEST(LxdPlanRules, NotRunningSaysWhyWithTheReportsReasons) {
    Json input = plan();
    input["discovery"]["m2"] = {{"running", false}, {"reasons", {"The LXD socket /x does not exist"}}};
    expect_one_error(input, "systems[m2]", "LXD is not running on m2: The LXD socket /x does not exist");
}

TEST(LxdPlanRules, AlreadyClusteredMemberIsRefused) {
    Json input = plan();
    input["discovery"]["m3"]["clustered"] = true;
    input["discovery"]["m3"]["server_name"] = "other";
    expect_one_error(input, "systems[m3]", "already clustered (as \"other\")");
}

TEST(LxdPlanRules, GrowingNeedsAClusteredLeaderAndStandaloneJoiners) {
    Json input = plan(false);
    input["joining"] = {"m3"};
    expect_one_error(input, "systems[m1]", "is not clustered, so it cannot take new members");
    input["discovery"]["m1"]["clustered"] = true;
    EXPECT_EQ(plan_problems(input), Json::array());
}

TEST(LxdPlanRules, OldVersionAndMissingExtensions) {
    Json input = plan();
    input["discovery"]["m1"]["version"] = "4.0.9";
    input["discovery"]["m1"]["api_extensions"] = {"clustering"};
    const Json found = errors(plan_problems(input));
    ASSERT_EQ(found.size(), 2u) << found.dump(2);
    EXPECT_NE(found[0].value("message", "").find("version 4.0.9; version 5.0 or later"), std::string::npos);
    EXPECT_NE(found[1].value("message", "").find("clustering_join_token, clustering_server_address"),
              std::string::npos);
}

TEST(LxdPlanRules, ExistingPoolOrNetworkInTheWay) {
    Json input = plan();
    input["discovery"]["m2"]["storage_pools"] = {{{"name", "local"}, {"driver", "dir"}}};
    expect_one_error(input, "systems[m2]", "already has a storage pool named \"local\"");
    input = plan();
    input["discovery"]["m2"]["networks"] = {{{"name", "lxdfan0"}, {"managed", true}}};
    expect_one_error(input, "systems[m2]", "already has a network named \"lxdfan0\"");
}

TEST(LxdPlanRules, LocalDiskMissingInUseOrPartitioned) {
    Json input = plan();
    input["preseed"]["systems"][1]["storage"] = {{"local", {{"path", "/dev/sdz"}}}};
    expect_one_error(input, "systems[m2].storage.local.path",
                     "Disk \"/dev/sdz\" was not found on m2; its disks: loop0, vda");
    input["preseed"]["systems"][1]["storage"]["local"]["path"] = "/dev/vda";
    expect_one_error(input, "systems[m2].storage.local.path", "is in use (mounted at /)");
    input["preseed"]["systems"][1]["storage"]["local"]["path"] = "/dev/loop0";
    input["discovery"]["m2"]["disks"][0]["partitions"] = {{{"name", "loop0p1"}}};
    expect_one_error(input, "systems[m2].storage.local.path", "has partitions; set wipe: true");
    input["preseed"]["systems"][1]["storage"]["local"]["wipe"] = true;
    EXPECT_EQ(plan_problems(input), Json::array());
}

TEST(LxdPlanRules, UplinkInterfaceIsLeftToTheOvnPlugin) {
    Json input = plan();
    input["preseed"]["systems"][2]["ovn_uplink_interface"] = "nope";  // judged by the OVN plugin
    EXPECT_EQ(plan_problems(input), Json::array());
}

TEST(LxdPlanRules, SectionKeysAndDriverAreChecked) {
    Json input = plan();
    input["config"] = {{"local_drvier", "dir"}};
    expect_one_error(input, "lxd.local_drvier", "accepted keys: local_driver");
    input["config"] = {{"local_driver", "zfs"}};
    const Json found = errors(plan_problems(input));
    ASSERT_EQ(found.size(), 3u);  // one per member
    EXPECT_NE(found[0].value("message", "").find("\"zfs\" is not available in LXD on m1; available: dir, lvm"),
              std::string::npos)
        << found[0].dump();
    input["config"] = {{"local_driver", "lvm"}};
    EXPECT_EQ(plan_problems(input), Json::array());
}

TEST(LxdPlanRules, DriverThatIsNotTextNamesTheValue) {
    Json input = plan();
    input["config"] = {{"local_driver", 3}};
    expect_one_error(input, "lxd.local_driver",
                     "must be the name of a storage driver (such as dir, lvm, zfs, btrfs), not 3");
}

TEST(LxdPlanRules, GrowingLeavesTheClusterMembersDiskAlone) {
    Json input = plan(false);
    input["joining"] = {"m3"};
    input["discovery"]["m1"]["clustered"] = true;
    input["discovery"]["m1"]["disks"][0]["in_use"] = true;  // the local pool holds it now
    input["preseed"]["systems"][0]["storage"] = {{"local", {{"path", "/dev/loop0"}}}};
    EXPECT_EQ(plan_problems(input), Json::array());
}

TEST(LxdPlanRules, DryRunJudgesOnlyTheMembersItHasReportsFor) {
    Json input = plan();
    input["discovery"] = {{"m1", standalone_report()}};
    input["preseed"]["systems"][1]["storage"] = {{"local", {{"path", "/dev/sdz"}}}};
    EXPECT_EQ(plan_problems(input), Json::array());
}

TEST(LxdPlanRules, NotRunningAnywhereMeansLxdTakesNoPart) {
    Json input = plan();
    EXPECT_FALSE(not_taking_part(input));
    for (const char* m : {"m1", "m2", "m3"})
        input["discovery"][m] = {{"running", false}, {"reasons", {std::string("no socket on ") + m}}};
    const auto why = not_taking_part(input);
    ASSERT_TRUE(why);
    EXPECT_EQ(*why, "LXD runs on none of the members (m1: no socket on m1; m2: no socket on m2; m3: no socket on m3)");
    input["discovery"]["m2"] = standalone_report();  // running somewhere: the others are errors
    EXPECT_FALSE(not_taking_part(input));
    EXPECT_EQ(errors(plan_problems(input)).size(), 2u);
}

}  // namespace
}  // namespace microcloud::plugins::lxd
