// host/membership/recover.hpp - bringing a cluster back after it lost its quorum for good (most
// voters gone): the surviving member with the newest data becomes the only voter.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>

namespace microcloud::host::membership {

// Rewrites the dqlite configuration under `state_dir` so that this member is the cluster's only
// node, a voter. microcloudd must be stopped on this member (the state-dir lock is taken here:
// Error("state_dir_locked") otherwise) and on every other survivor. After microcloudd starts
// again the member leads on its own; the members that were lost are still listed (OFFLINE) until
// `cluster remove` takes them out, and a survivor rejoins after its state is wiped, with a new
// token. Throws Error("not_clustered") for a member outside any cluster.
// Returns {"name", "address", "node_id", "role": "voter"}.
nlohmann::json recover_alone(const std::filesystem::path& state_dir);

}  // namespace microcloud::host::membership
