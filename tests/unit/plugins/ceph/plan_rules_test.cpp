// tests/unit/plugins/ceph/plan_rules_test.cpp - the Ceph plugin's validate rules: whether Ceph takes
// part, programs on every member, the chosen disks, the public/internal networks, CephFS, and
// upstream's fault-tolerance warning.
#include "ceph_plan_rules.hpp"

#include <gtest/gtest.h>

namespace ceph = microcloud::plugins::ceph;
using microcloud::sdk::Error;
using microcloud::sdk::Json;

namespace {

Json report(int member, Json disks = Json::array()) {
    const std::string m = std::to_string(member);
    return {{"present", true},
            {"reasons", Json::array()},
            {"programs", {{"ceph-mds", {{"installed", true}}}}},
            {"addresses",
             {{{"interface", "eth0"}, {"address", "10.1.0.1" + m}, {"prefix", 24}},
              {{"interface", "eth1"}, {"address", "10.2.0.1" + m}, {"prefix", 24}}}},
            {"disks", disks},
            {"formed_by_microcloud", false}};
}

Json judged(const std::string& path, bool qualifies = true, bool wipe_needed = false, std::string reason = "") {
    return {{"path", path},          {"id", path},         {"qualifies", qualifies}, {"reason", reason},
            {"wipe_needed", wipe_needed}, {"signature", wipe_needed ? "ext4" : ""}, {"partitions", 0}};
}

Json chosen(const std::string& path, bool wipe = false) {
    return {{"path", path}, {"wipe", wipe}, {"encrypt", false}, {"source", "storage.ceph[0]"}};
}

// Three members, each with /dev/loop<i> chosen for Ceph.
Json plan() {
    Json input = {{"members", {"m1", "m2", "m3"}}, {"joining", {"m2", "m3"}}, {"bootstrap", true},
                  {"preseed", Json::object()},     {"discovery", Json::object()}, {"disks", Json::object()}};
    for (int i = 1; i <= 3; ++i) {
        const std::string m = "m" + std::to_string(i), path = "/dev/loop" + std::to_string(i);
        input["discovery"][m] = report(i, Json::array({judged(path)}));
        input["disks"][m] = {{"local", nullptr}, {"ceph", Json::array({chosen(path)})}};
    }
    return input;
}

std::vector<std::string> messages(const Json& problems, const std::string& severity = "error") {
    std::vector<std::string> out;
    for (const auto& p : problems)
        if (p.value("severity", "") == severity) out.push_back(p.value("field", "") + ": " + p.value("message", ""));
    return out;
}

}  // namespace

TEST(CephPlanRules, AGoodPlanHasNoProblems) {
    EXPECT_TRUE(ceph::ceph_plan_problems(plan()).empty());
}

TEST(CephPlanRules, NoDiskAnywhereMeansNoPart) {
    Json input = plan();
    for (auto& [member, disks] : input["disks"].items()) disks["ceph"] = Json::array();
    try {
        ceph::ceph_plan_problems(input);
        FAIL() << "expected unsupported";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "unsupported");
        EXPECT_NE(std::string(e.what()).find("Ceph takes no part"), std::string::npos);
    }
    input["discovery"]["m1"]["formed_by_microcloud"] = true;  // growing a cloud that has Ceph
    EXPECT_NO_THROW(ceph::ceph_plan_problems(input));
}

TEST(CephPlanRules, FewerThanThreeSupplyingWarnsWithUpstreamsWords) {
    Json input = plan();
    input["disks"]["m3"]["ceph"] = Json::array();
    const auto warnings = messages(ceph::ceph_plan_problems(input), "warning");
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_EQ(warnings[0],
              "storage.ceph: Disk configuration does not meet recommendations for fault tolerance. At least 3 "
              "systems must supply disks (2 currently supplying)");
    input["bootstrap"] = false;  // growing: no warning
    EXPECT_TRUE(ceph::ceph_plan_problems(input).empty());
}

TEST(CephPlanRules, MissingProgramsNameTheMemberAndTheWayOut) {
    Json input = plan();
    input["discovery"]["m2"]["present"] = false;
    input["discovery"]["m2"]["reasons"] = {"ceph-osd is not installed."};
    const auto errors = messages(ceph::ceph_plan_problems(input));
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].find("m2: ceph-osd is not installed."), std::string::npos);
    EXPECT_NE(errors[0].find("--disable-plugin ceph"), std::string::npos);
}

TEST(CephPlanRules, DisksMustExistQualifyAndBeWipedWhenTheyHoldData) {
    Json input = plan();
    input["disks"]["m1"]["ceph"] = Json::array({chosen("/dev/loop9")});
    input["discovery"]["m2"]["disks"] = Json::array({judged("/dev/loop2", false, false, "it is read-only")});
    input["discovery"]["m3"]["disks"] = Json::array({judged("/dev/loop3", true, true)});
    const auto errors = messages(ceph::ceph_plan_problems(input));
    ASSERT_EQ(errors.size(), 3u);
    EXPECT_EQ(errors[0], "storage.ceph[0]: Disk /dev/loop9 was not found on m1");
    EXPECT_EQ(errors[1], "storage.ceph[0]: Disk /dev/loop2 on m2 cannot be used for Ceph: it is read-only");
    EXPECT_EQ(errors[2], "storage.ceph[0].wipe: Disk /dev/loop3 on m3 holds a ext4 signature: set wipe: true to use "
                         "it for Ceph (its data is lost)");
    input["disks"]["m3"]["ceph"][0]["wipe"] = true;
    EXPECT_EQ(messages(ceph::ceph_plan_problems(input)).size(), 2u);
}

TEST(CephPlanRules, EncryptionIsRefusedClearly) {
    Json input = plan();
    input["disks"]["m2"]["ceph"][0]["encrypt"] = true;
    const auto errors = messages(ceph::ceph_plan_problems(input));
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].find("storage.ceph[0].encrypt: Disk /dev/loop2 on m2: encrypted OSDs"), std::string::npos);
}

TEST(CephPlanRules, NetworksNeedAnAddressOnEveryMember) {
    Json input = plan();
    input["preseed"]["ceph"] = {{"public_network", "10.1.0.0/24"}, {"internal_network", "10.2.0.0/24"}};
    EXPECT_TRUE(ceph::ceph_plan_problems(input).empty());
    input["preseed"]["ceph"]["internal_network"] = "10.3.0.0/24";
    auto errors = messages(ceph::ceph_plan_problems(input));
    ASSERT_EQ(errors.size(), 3u);
    EXPECT_EQ(errors[1],
              "ceph.internal_network: Not enough network interfaces found with an IP within the given CIDR subnet on "
              "\"m2\".\nYou need at least one interface per cluster member.");
    input["preseed"]["ceph"]["internal_network"] = "10.2.0.5/32";
    errors = messages(ceph::ceph_plan_problems(input));
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0], "ceph.internal_network: Invalid Ceph network subnet (must have more than one address)");
    input["preseed"]["ceph"]["internal_network"] = "nonsense";
    errors = messages(ceph::ceph_plan_problems(input));
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].find("Invalid CIDR subnet \"nonsense\""), std::string::npos);
}

TEST(CephPlanRules, CephfsWithoutMdsWarns) {
    Json input = plan();
    input["preseed"]["ceph"] = {{"cephfs", true}};
    input["discovery"]["m3"]["programs"]["ceph-mds"]["installed"] = false;
    const auto warnings = messages(ceph::ceph_plan_problems(input), "warning");
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("ceph-mds is not installed on m3"), std::string::npos);
}

TEST(CephPlanRules, OnlyTheJoiningMembersAreCheckedWhenGrowing) {
    Json input = plan();
    input["bootstrap"] = false;
    input["joining"] = {"m3"};
    input["discovery"]["m1"]["present"] = false;  // a current member: not this run's business
    EXPECT_TRUE(ceph::ceph_plan_problems(input).empty());
    EXPECT_EQ(ceph::run_members(input), std::vector<std::string>{"m3"});
}
