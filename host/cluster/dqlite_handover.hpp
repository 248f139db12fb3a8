// host/cluster/dqlite_handover.hpp - before a member stops for good or for a while: hand its
// leadership to another voter and its vote to a stand-by or spare that answers.
#pragma once

#include "cluster/dqlite_client.hpp"
#include "cluster/dqlite_protocol.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace microcloud::host::cluster {

struct HandoverOutcome {
    bool leadership_transferred = false;
    std::optional<NodeId> promoted{};  // the node that took this one's vote
    bool demoted = false;              // this node became a spare
};

// Runs the handover for node `self`, reached at `self_address`. Leadership goes to the first
// other voter that answers; the vote goes to the first stand-by (else spare) that answers, and
// only then is this node made a spare, so the voter count never drops. A node without a vote, or
// a cluster without a stand-in, is left as it is. Throws the client's errors (see Client) and
// those of connect_to_leader within `timeout` per leader search.
HandoverOutcome handover(NodeId self, const std::string& self_address, const ClientOptions& options = {},
                         std::chrono::milliseconds timeout = std::chrono::milliseconds{10000});

}  // namespace microcloud::host::cluster
