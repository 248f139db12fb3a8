// tests/unit/membership/roles_test.cpp - the role plan: voters and stand-bys filled from online
// members, offline ones replaced only when someone can take their place, never fewer voters.
#include "membership/roles.hpp"

#include <gtest/gtest.h>

namespace microcloud::host::membership {
namespace {

using cluster::NodeInfo;
using cluster::Role;

std::vector<NodeInfo> nodes(std::initializer_list<std::pair<cluster::NodeId, Role>> list) {
    std::vector<NodeInfo> out;
    for (const auto& [id, role] : list) out.push_back({id, "10.0.0." + std::to_string(id) + ":9443", role});
    return out;
}

// Applies the plan and checks that the number of voters never drops below where it started
// (capped by what the plan aims for).
std::map<cluster::NodeId, Role> apply_plan(const std::vector<NodeInfo>& start, const std::vector<RoleChange>& plan) {
    std::map<cluster::NodeId, Role> roles;
    for (const auto& node : start) roles[node.id] = node.role;
    const auto voters = [&] {
        return std::count_if(roles.begin(), roles.end(), [](const auto& e) { return e.second == Role::voter; });
    };
    const auto least = std::min<long>(voters(), 3);
    for (const auto& change : plan) {
        EXPECT_EQ(roles.at(change.id), change.from);
        roles[change.id] = change.to;
        EXPECT_GE(voters(), least) << "voters dropped at the change of node " << change.id;
    }
    return roles;
}

TEST(RolePlan, FirstMembersBecomeVotersThenStandbys) {
    const auto start = nodes({{1, Role::voter},
                              {2, Role::spare},
                              {3, Role::spare},
                              {4, Role::spare},
                              {5, Role::spare},
                              {6, Role::spare},
                              {7, Role::spare},
                              {8, Role::spare}});
    const auto roles = apply_plan(start, plan_roles(start, {1, 2, 3, 4, 5, 6, 7, 8}, 1));
    EXPECT_EQ(roles.at(2), Role::voter);
    EXPECT_EQ(roles.at(3), Role::voter);
    EXPECT_EQ(roles.at(4), Role::standby);
    EXPECT_EQ(roles.at(5), Role::standby);
    EXPECT_EQ(roles.at(6), Role::standby);
    EXPECT_EQ(roles.at(7), Role::spare);
    EXPECT_EQ(roles.at(8), Role::spare);
}

TEST(RolePlan, RightRolesNeedNoChange) {
    const auto start = nodes({{1, Role::voter}, {2, Role::voter}, {3, Role::voter}, {4, Role::standby}});
    EXPECT_TRUE(plan_roles(start, {1, 2, 3, 4}, 1).empty());
}

TEST(RolePlan, OfflineVoterIsReplacedByStandbyFirst) {
    const auto start =
        nodes({{1, Role::voter}, {2, Role::voter}, {3, Role::voter}, {4, Role::spare}, {5, Role::standby}});
    const auto plan = plan_roles(start, {1, 2, 4, 5}, 1);
    ASSERT_GE(plan.size(), 2u);
    EXPECT_EQ(plan[0], (RoleChange{5, Role::standby, Role::voter}));
    EXPECT_EQ(plan[1], (RoleChange{3, Role::voter, Role::spare}));
    const auto roles = apply_plan(start, plan);
    EXPECT_EQ(roles.at(4), Role::standby);  // the spare refills the stand-bys
}

TEST(RolePlan, OfflineVoterStaysWhenNobodyCanTakeItsPlace) {
    const auto start = nodes({{1, Role::voter}, {2, Role::voter}, {3, Role::voter}});
    EXPECT_TRUE(plan_roles(start, {1, 2}, 1).empty());
}

TEST(RolePlan, LeaderCountsAsOnlineAndIsNeverDemoted) {
    const auto start = nodes({{1, Role::voter}, {2, Role::voter}, {3, Role::voter}, {4, Role::voter}});
    const auto plan = plan_roles(start, {}, 1);
    for (const auto& change : plan) EXPECT_NE(change.id, 1u);
    const auto roles = apply_plan(start, plan);
    EXPECT_EQ(std::count_if(roles.begin(), roles.end(), [](const auto& e) { return e.second == Role::voter; }), 3);
}

TEST(RolePlan, OfflineStandbyMakesWayForOnlineSpare) {
    const auto start =
        nodes({{1, Role::voter}, {2, Role::voter}, {3, Role::voter}, {4, Role::standby}, {5, Role::spare}});
    const auto roles = apply_plan(start, plan_roles(start, {1, 2, 3, 5}, 1));
    EXPECT_EQ(roles.at(5), Role::standby);
    EXPECT_EQ(roles.at(4), Role::spare);
}

TEST(RolePlan, OfflineSparesAreNotPromoted) {
    const auto start = nodes({{1, Role::voter}, {2, Role::spare}, {3, Role::spare}});
    const auto roles = apply_plan(start, plan_roles(start, {1, 3}, 1));
    EXPECT_EQ(roles.at(2), Role::spare);
    EXPECT_EQ(roles.at(3), Role::voter);
}

}  // namespace
}  // namespace microcloud::host::membership
