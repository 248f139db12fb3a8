// host/membership/roles.hpp - which dqlite roles the members should hold: up to 3 voters and 3
// stand-bys among the members that answer, the rest spares. A pure plan, applied by the leader.
#pragma once

#include "cluster/dqlite_protocol.hpp"

#include <cstddef>
#include <set>
#include <vector>

namespace microcloud::host::membership {

inline constexpr std::size_t kMaxVoters = 3;
inline constexpr std::size_t kMaxStandbys = 3;

struct RoleChange {
    cluster::NodeId id = 0;
    cluster::Role from = cluster::Role::spare;
    cluster::Role to = cluster::Role::spare;
    friend bool operator==(const RoleChange&, const RoleChange&) = default;
};

// The changes that bring `nodes` to the target, in the order they must be applied: every
// promotion of an online member comes before the demotion it makes up for, so the number of
// voters never drops on the way. Offline voters are only demoted when an online member takes
// their place; the leader (`leader`) is never demoted. Members are chosen by id order so the plan
// is stable. An empty result means the roles are right.
std::vector<RoleChange> plan_roles(const std::vector<cluster::NodeInfo>& nodes, const std::set<cluster::NodeId>& online,
                                   cluster::NodeId leader, std::size_t max_voters = kMaxVoters,
                                   std::size_t max_standbys = kMaxStandbys);

}  // namespace microcloud::host::membership
