// plugins/lxd/desired_state.hpp - what the LXD cluster should hold after formation, worked out
// from the plan alone (pure): the `local` pool, the `remote` and `remote-fs` pools when a Ceph
// provider published its facts and the members' kernels can use them, the networks a network
// provider published, the default profile; each with the keys every member needs set on its own
// (LXD's "member-specific" keys); and notes saying what was left out and why.
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <optional>
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
    /// Cluster-wide keys set once the entity exists (LXD's create would overwrite them), and again
    /// before a rollback deletes it.
    sdk::Json after_create = sdk::Json::object();
};

struct DesiredState {
    std::vector<Entity> entities;                     ///< in creation order
    sdk::Json server_config = sdk::Json::object();    ///< cluster-wide server keys
    sdk::Json profile_devices = sdk::Json::object();  ///< devices of the default profile
    std::vector<std::string> notes;                   ///< what is not created or not used as asked, and why (sentences)
};

/// The API extension that lets LXD wipe a pool's source disk itself (key source.wipe); LXD 5.0 lacks it.
inline constexpr const char* kSourceWipeExtension = "storage_pool_source_wipe";

/// What LXD offers on the member that configures: the names of its storage drivers and the
/// pools that exist already (name -> driver).
struct LxdFacts {
    std::vector<std::string> drivers;
    sdk::Json pools = sdk::Json::object();
    bool ovn_ssl_config = false;  ///< LXD takes OVN's TLS files as server keys (API extension ovn_ssl_config)
    bool source_wipe = false;     ///< LXD takes source.wipe (API extension storage_pool_source_wipe)
};

/// The driver of the `local` pool: plugins config `local_driver`, else the existing pool's, else
/// the first of zfs, btrfs, lvm LXD supports when every member has a local disk in the plan
/// (zfs also without disks; lvm not when a member's discovery report says its kernel has no
/// device-mapper), else dir.
std::string local_driver(const sdk::Json& input, const LxdFacts& facts);

/// The keys of `member`'s own part of the `local` pool with `driver`: its disk as source, and
/// source.wipe when the plan says wipe and LXD can wipe (facts.source_wipe). None for dir.
sdk::Json local_member_keys(const sdk::Json& input, const std::string& member, const std::string& driver,
                            const LxdFacts& facts);

/// The disk `member`'s own join must wipe before LXD uses it: its local disk when the plan says
/// wipe, the `local` pool with `driver` uses it (not dir) and LXD cannot wipe it (no
/// storage_pool_source_wipe); nullopt otherwise.
std::optional<std::string> disk_to_wipe(const sdk::Json& input, const std::string& member, const std::string& driver,
                                        const LxdFacts& facts);

/// The IPv4 subnet of the OVN network `default` (its gateway, "10.218.K.1/24"): the first /24 of
/// 10.218.0.0/16 that overlaps neither a member's /24 nor the uplink gateway's subnet. Chosen here
/// because LXD's own "auto" pings candidate subnets to find a free one.
std::string ovn_internal_subnet(const sdk::Json& input);

/// Everything configure creates, from the hook input (members, config, preseed, disks, published,
/// discovery: each member's "kernel" facts; a member without them counts as lacking the modules).
/// `remote` (ceph) when the Ceph provider published; `remote-fs` (cephfs) when it published a
/// file system and every member's kernel has the ceph module; the root disk on `remote` only when
/// every member's kernel can map RBD images. Each thing left out is a sentence in `notes`.
DesiredState desired_state(const sdk::Json& input, const LxdFacts& facts);

/// The member_config a joining member sends for the pools and networks that exist already in
/// the cluster (`existing`: {"pools": {name: driver}, "networks": [names]}); `facts` are the
/// joiner's own LXD's.
sdk::Json member_config_for(const sdk::Json& input, const std::string& member, const sdk::Json& existing,
                            const LxdFacts& facts);

}  // namespace microcloud::plugins::lxd
