// plugins/lxd/desired_state.hpp - what the LXD cluster should hold after formation, worked out
// from the plan alone (pure): the `local` pool, the `remote` pool when a Ceph provider published
// its facts, the networks a network provider published, the default profile; each with the keys
// every member needs set on its own (LXD's "member-specific" keys).
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <string>
#include <vector>

namespace microcloud::plugins::lxd {

/// A pool or network to create in two phases: per member (`members`: name -> its own keys) and
/// cluster-wide (`config`). Networks with per_member false (ovn) skip the first phase.
struct Entity {
    std::string kind;  ///< "storage-pool" or "network"
    std::string name;
    std::string type;  ///< the pool's driver or the network's type
    sdk::Json config = sdk::Json::object();
    sdk::Json members = sdk::Json::object();
    bool per_member = true;
};

struct DesiredState {
    std::vector<Entity> entities;                     ///< in creation order
    sdk::Json server_config = sdk::Json::object();    ///< cluster-wide server keys
    sdk::Json profile_devices = sdk::Json::object();  ///< devices of the default profile
};

/// What LXD offers on the member that configures: the names of its storage drivers and the
/// pools that exist already (name -> driver).
struct LxdFacts {
    std::vector<std::string> drivers;
    sdk::Json pools = sdk::Json::object();
    bool ovn_ssl_config = false;  ///< LXD takes OVN's TLS files as server keys (API extension ovn_ssl_config)
};

/// The driver of the `local` pool: plugins config `local_driver`, else the existing pool's, else
/// the first of zfs, btrfs, lvm LXD supports when every member has a local disk in the plan
/// (zfs also without disks), else dir.
std::string local_driver(const sdk::Json& input, const LxdFacts& facts);

/// The IPv4 subnet of the OVN network `default` (its gateway, "10.218.K.1/24"): the first /24 of
/// 10.218.0.0/16 that overlaps neither a member's /24 nor the uplink gateway's subnet. Chosen here
/// because LXD's own "auto" pings candidate subnets to find a free one.
std::string ovn_internal_subnet(const sdk::Json& input);

/// Everything configure creates, from the hook input (members, config, preseed, published).
DesiredState desired_state(const sdk::Json& input, const LxdFacts& facts);

/// The member_config a joining member sends for the pools and networks that exist already in
/// the cluster (`existing`: {"pools": {name: driver}, "networks": [names]}).
sdk::Json member_config_for(const sdk::Json& input, const std::string& member, const sdk::Json& existing);

}  // namespace microcloud::plugins::lxd
