// host/membership/membership_runtime.hpp - (private to membership/) what runs while a member is in
// a cluster: tunnels, the dqlite node, the TLS listener, the store and the upkeep thread. Members
// are declared in start order; the destructor of Membership stops them in reverse.
#pragma once

#include "membership/membership.hpp"

namespace microcloud::host::membership {

struct Membership::Runtime {
    LocalMember self{};
    transport::Tunnels tunnels{};
    std::unique_ptr<cluster::DqliteNode> node{};
    std::unique_ptr<transport::PeerServer> server{};
    std::unique_ptr<store::Store> store{};
    cluster::Dialer dial{};  // own address: the node's local socket; others: a TLS tunnel
    std::mutex wake_mutex{};
    std::condition_variable_any wake{};
    bool wake_requested = false;  // under wake_mutex: the upkeep runs again at once
    std::jthread upkeep{};

    // Has the upkeep run again now rather than after its interval (a member was admitted or removed).
    void wake_upkeep() {
        {
            const std::lock_guard lock(wake_mutex);
            wake_requested = true;
        }
        wake.notify_all();
    }
};

// dqlite's data directory under the member's cluster directory.
inline std::filesystem::path database_dir(const std::filesystem::path& state_dir) {
    return cluster_dir(state_dir) / "database";
}
inline std::filesystem::path truststore_dir(const std::filesystem::path& state_dir) {
    return cluster_dir(state_dir) / "truststore";
}

}  // namespace microcloud::host::membership
