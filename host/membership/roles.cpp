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

    // One tier (voters, then stand-bys): offline holders make way for online members, the tier is
    // filled up to `max`, and the excess beyond it steps down to `lower` (never the leader).
    const auto settle = [&](Role tier, std::size_t max, Role lower) {
        for (const auto& [id, current] : std::map<NodeId, Role>(role)) {
            if (current != tier || is_online(id)) continue;
            const auto stand_in = candidate(tier);
            if (!stand_in) break;
            change(*stand_in, tier);
            change(id, Role::spare);
        }
        while (count(tier, true) < max) {
            const auto next = candidate(tier);
            if (!next) break;
            change(*next, tier);
        }
        for (auto it = role.rbegin(); it != role.rend() && count(tier, false) > max; ++it)
            if (it->second == tier && it->first != leader) change(it->first, lower);
    };
    settle(Role::voter, max_voters, Role::standby);
    settle(Role::standby, max_standbys, Role::spare);
    return changes;
}

}  // namespace microcloud::host::membership
