// host/membership/config_change.hpp - one raft configuration change (add, assign, remove,
// transfer) through the store's leader connection, waiting out the change another member is
// still committing: raft allows one at a time, and members join in parallel.
#pragma once

#include "cluster/dqlite_client.hpp"
#include "store/store.hpp"

#include <chrono>
#include <functional>

namespace microcloud::host::membership {

// Runs `change` with the leader's client; while dqlite answers that a configuration change is
// already in progress, tries again (20 ms, growing to 500 ms between tries) until `patience` has
// passed, then throws that last error. Other errors pass through at once.
void change_configuration(store::Store& store, const std::function<void(cluster::Client&)>& change,
                          std::chrono::milliseconds patience = std::chrono::seconds(60));

}  // namespace microcloud::host::membership
