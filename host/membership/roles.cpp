// host/membership/roles.cpp - the role plan: fill voters, then stand-bys, from online members.
#include "membership/roles.hpp"

#include <algorithm>
#include <map>

namespace microcloud::host::membership {

using cluster::NodeId;
using cluster::NodeInfo;
using cluster::Role;

std::vector<RoleChange> plan_roles(const std::vector<NodeInfo>& nodes, const std::set<NodeId>& online, NodeId leader,
                                   std::size_t max_voters, std::size_t max_standbys) {
    std::map<NodeId, Role> role;  // the roles as the plan goes; ordered by id
    for (const NodeInfo& node : nodes) role[node.id] = node.role;
    const auto is_online = [&](NodeId id) { return id == leader || online.contains(id); };
    const auto count = [&](Role wanted, bool only_online) {
        return static_cast<std::size_t>(std::count_if(role.begin(), role.end(), [&](const auto& entry) {
            return entry.second == wanted && (!only_online || is_online(entry.first));
        }));
    };
    std::vector<RoleChange> changes;
    const auto change = [&](NodeId id, Role to) {
        changes.push_back({id, role[id], to});
        role[id] = to;
    };
    // The best online member to promote to `to`: a stand-by before a spare when `to` is voter.
    const auto candidate = [&](Role to) -> std::optional<NodeId> {
        for (const Role source : {Role::standby, Role::spare}) {
            if (to == Role::standby && source == Role::standby) continue;
            for (const auto& [id, current] : role)
                if (current == source && is_online(id)) return id;
        }
        return std::nullopt;
    };

    // Voters: replace offline ones, then fill up; demote beyond the maximum (never the leader).
    for (const auto& [id, current] : std::map<NodeId, Role>(role)) {
        if (current != Role::voter || is_online(id)) continue;
        const auto stand_in = candidate(Role::voter);
        if (!stand_in) break;
        change(*stand_in, Role::voter);
        change(id, Role::spare);
    }
    while (count(Role::voter, true) < max_voters) {
        const auto next = candidate(Role::voter);
        if (!next) break;
        change(*next, Role::voter);
    }
    for (auto it = role.rbegin(); it != role.rend() && count(Role::voter, false) > max_voters; ++it)
        if (it->second == Role::voter && it->first != leader) change(it->first, Role::standby);

    // Stand-bys: offline ones make way for online spares; fill up; trim the excess.
    for (const auto& [id, current] : std::map<NodeId, Role>(role)) {
        if (current != Role::standby || is_online(id)) continue;
        const auto stand_in = candidate(Role::standby);
        if (!stand_in) break;
        change(*stand_in, Role::standby);
        change(id, Role::spare);
    }
    while (count(Role::standby, true) < max_standbys) {
        const auto next = candidate(Role::standby);
        if (!next) break;
        change(*next, Role::standby);
    }
    for (auto it = role.rbegin(); it != role.rend() && count(Role::standby, false) > max_standbys; ++it)
        if (it->second == Role::standby) change(it->first, Role::spare);
    return changes;
}

}  // namespace microcloud::host::membership
