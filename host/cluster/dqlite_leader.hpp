// host/cluster/dqlite_leader.hpp - finding the dqlite leader from a list of member addresses,
// following LEADER redirects and retrying while an election is under way.
#pragma once

#include "cluster/dqlite_client.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace microcloud::host::cluster {

struct LeaderSearch {
    std::vector<std::string> addresses{};  // any members; voters know the leader
    ClientOptions client{};
    std::chrono::milliseconds timeout{10000};       // for the whole search
    std::chrono::milliseconds retry_interval{100};  // pause between rounds over the list
};

// Returns a client connected to the leader, the leader having confirmed itself. Asks each
// address in turn (a node that names another leader is left for that one), round after round
// until `timeout`. Throws Error("dqlite_unreachable") when no address could be reached at all,
// Error("dqlite_no_leader") when nodes answered but none led; details list what each address said.
Client connect_to_leader(const LeaderSearch& search);

// One round over the addresses; nullopt when no leader was found. `problems` gets one line per
// address that did not lead to the leader; `reached` is set when any node answered.
std::optional<Client> find_leader_once(const LeaderSearch& search, std::vector<std::string>& problems, bool& reached);

}  // namespace microcloud::host::cluster
