// host/membership/member_file.hpp - what a member remembers about its own place in the cluster
// (<state-dir>/cluster/member.json): its name, its address and its dqlite node id. The file
// exists once the member bootstrapped or joined, and is gone when it left.
#pragma once

#include "cluster/dqlite_protocol.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace microcloud::host::membership {

struct LocalMember {
    std::string name{};
    std::string address{};  // "ip:port" of its TLS listener, also its dqlite address
    cluster::NodeId node_id = 0;
    friend bool operator==(const LocalMember&, const LocalMember&) = default;
};

// Where the member keeps its cluster files: member.json, the dqlite data (database/) and the
// truststore (truststore/).
std::filesystem::path cluster_dir(const std::filesystem::path& state_dir);

// nullopt when the member is not part of a cluster; throws Error("member_file_invalid") naming
// the file for one that cannot be understood.
std::optional<LocalMember> read_local_member(const std::filesystem::path& state_dir);
void write_local_member(const std::filesystem::path& state_dir, const LocalMember& member);

// Normalises "ip" or "ip:port" (IPv6 as "[ip]:port") to "ip:port" with `default_port`; throws
// Error("invalid_address") naming the field, the value and the accepted forms.
std::string normalise_member_address(const std::string& value, int default_port);

}  // namespace microcloud::host::membership
