// tests/unit/sdk/plan_test.cpp - the typed plan: a join input as the host sends it, and what is
// left empty when keys are missing or of another type.
#include <microcloud/sdk/plan.hpp>

#include <gtest/gtest.h>

namespace sdk = microcloud::sdk;

namespace {

TEST(Plan, ReadsAJoinInputAsTheHostSendsIt) {
    const sdk::Plan plan = sdk::Plan::from(sdk::Json::parse(R"({
      "members": ["m1", "m2", "m3"], "joining": ["m2", "m3"], "bootstrap": false,
      "addresses": {"m1": "10.0.0.1", "m2": "10.0.0.2"},
      "config": {"replicas": 2}, "preseed": {"initiator": "m1"},
      "disks": {"m2": {"local": {"path": "/dev/sda", "wipe": true},
                       "ceph": [{"path": "/dev/sdb", "wipe": false, "encrypt": true}]}},
      "published": {"ceph": {"pool": "lxd_remote"}, "ceph.configure": {"cephfs": "lxd_cephfs"}},
      "token": "ceph-token-m2", "member": {"name": "m2"}})"));
    EXPECT_EQ(plan.leader(), "m1");
    EXPECT_EQ(plan.members.size(), 3u);
    EXPECT_TRUE(plan.joins("m3"));
    EXPECT_FALSE(plan.joins("m1"));
    EXPECT_FALSE(plan.bootstrap);
    EXPECT_EQ(plan.addresses.at("m2"), "10.0.0.2");
    EXPECT_EQ(plan.config["replicas"], 2);
    EXPECT_EQ(plan.preseed["initiator"], "m1");
    EXPECT_EQ(plan.published_by("ceph")["pool"], "lxd_remote");
    EXPECT_TRUE(plan.published_by("ovn").is_null());
    ASSERT_TRUE(plan.token.has_value());
    EXPECT_EQ(*plan.token, "ceph-token-m2");
    const sdk::PlanDisks disks = plan.disks_of("m2");
    EXPECT_EQ(disks.local["path"], "/dev/sda");
    ASSERT_EQ(disks.ceph.size(), 1u);
    EXPECT_TRUE(disks.ceph[0]["encrypt"].get<bool>());
    EXPECT_TRUE(plan.disks_of("m1").local.is_null());
}

TEST(Plan, LeavesWhatTheHostDidNotSendEmpty) {
    const sdk::Plan plan = sdk::Plan::from(sdk::Json::parse(R"({"members": "m1", "bootstrap": "yes", "config": []})"));
    EXPECT_TRUE(plan.members.empty());
    EXPECT_EQ(plan.leader(), "");
    EXPECT_FALSE(plan.bootstrap);
    EXPECT_EQ(plan.config, sdk::Json::object());
    EXPECT_FALSE(plan.token.has_value());
    EXPECT_TRUE(sdk::Plan::from(sdk::Json()).members.empty());
}

}  // namespace
