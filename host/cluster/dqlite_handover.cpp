// host/cluster/dqlite_handover.cpp - handing a member's leadership and vote to others.
#include "cluster/dqlite_handover.hpp"

#include "cluster/dqlite_leader.hpp"
#include "common/error.hpp"

#include <algorithm>
#include <vector>

namespace microcloud::host::cluster {

namespace {

bool answers(const NodeInfo& node, const ClientOptions& options) {
    try {
        Client::connect(node.address, options).leader();
        return true;
    } catch (const Error&) {
        return false;
    }
}

// The first node other than `self` with the role that answers.
std::optional<NodeInfo> stand_in(const std::vector<NodeInfo>& nodes, NodeId self, Role role,
                                 const ClientOptions& options) {
    for (const NodeInfo& node : nodes) {
        if (node.id != self && node.role == role && answers(node, options)) {
            return node;
        }
    }
    return std::nullopt;
}

LeaderSearch search_over(const std::vector<NodeInfo>& nodes, const ClientOptions& options,
                         std::chrono::milliseconds timeout) {
    LeaderSearch search;
    for (const NodeInfo& node : nodes) {
        search.addresses.push_back(node.address);
    }
    search.client = options;
    search.timeout = timeout;
    return search;
}

}  // namespace

HandoverOutcome handover(NodeId self, const std::string& self_address, const ClientOptions& options,
                         std::chrono::milliseconds timeout) {
    HandoverOutcome outcome;
    // This node's own view may lag behind (a member just added): it only serves to find the
    // leader, whose view decides.
    const std::vector<NodeInfo> known = Client::connect(self_address, options).cluster();
    Client leader = connect_to_leader(search_over(known, options, timeout));
    const std::vector<NodeInfo> nodes = leader.cluster();
    const auto me = std::find_if(nodes.begin(), nodes.end(), [&](const NodeInfo& node) { return node.id == self; });
    if (me == nodes.end() || me->role != Role::voter) {
        return outcome;
    }

    const auto current = leader.leader();
    if (current && current->id == self) {
        const auto heir = stand_in(nodes, self, Role::voter, options);
        if (!heir) {
            return outcome;  // the only voter that answers: nobody to lead instead
        }
        leader.transfer(heir->id);
        outcome.leadership_transferred = true;
        leader = connect_to_leader(search_over(nodes, options, timeout));
    }

    auto substitute = stand_in(nodes, self, Role::standby, options);
    if (!substitute) {
        substitute = stand_in(nodes, self, Role::spare, options);
    }
    if (!substitute) {
        return outcome;
    }
    leader.assign(substitute->id, Role::voter);
    outcome.promoted = substitute->id;
    leader.assign(self, Role::spare);
    outcome.demoted = true;
    return outcome;
}

}  // namespace microcloud::host::cluster
