// host/membership/recover.cpp - the lost-quorum recovery: this member's node alone in the raft
// configuration, written while no daemon runs on the state directory.
#include "membership/recover.hpp"

#include "api/state_dir_lock.hpp"
#include "cluster/dqlite_node.hpp"
#include "common/error.hpp"
#include "membership/member_file.hpp"
#include "membership/membership_runtime.hpp"

namespace microcloud::host::membership {

nlohmann::json recover_alone(const std::filesystem::path& state_dir) {
    const api::StateDirLock lock(state_dir);
    const auto self = read_local_member(state_dir);
    if (!self)
        throw Error("not_clustered",
                    "Nothing to recover: the member with state in " + state_dir.string() + " is not part of a cluster");
    cluster::NodeConfig config;
    config.id = self->node_id;
    config.address = self->address;
    config.data_dir = database_dir(state_dir);
    config.bind_address.assign(1, '@');  // an abstract socket (assign: GCC 12 warns falsely on = "@")
    cluster::DqliteNode node(std::move(config));
    node.recover({{self->node_id, self->address, cluster::Role::voter}});
    return {{"name", self->name}, {"address", self->address}, {"node_id", self->node_id}, {"role", "voter"}};
}

}  // namespace microcloud::host::membership
