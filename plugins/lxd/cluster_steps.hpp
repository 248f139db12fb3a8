// plugins/lxd/cluster_steps.hpp - the LXD cluster's membership as this member's LXD sees it:
// bootstrap, tokens for joiners, join with a token, leave (undo), remove another member.
#pragma once

#include "lxd_api.hpp"

#include <microcloud/sdk/plugin.hpp>

#include <string>

namespace microcloud::plugins::lxd {

/// LXD's port for cluster and remote API traffic.
inline constexpr const char* lxd_port = "8443";

/// "ip:8443" ("[v6]:8443" for IPv6).
std::string lxd_address(const std::string& ip);

/// The server config keys a join or bootstrap may change, as they were before (to restore them).
struct PriorAddresses {
    sdk::Json config = sdk::Json::object();  ///< key -> previous value ("" when unset)
    /// True once this run's join or bootstrap started making LXD clustered.
    bool began_clustering() const { return !config.empty(); }
};

/// Makes this LXD the first member of a cluster named after `name`, listening on `ip`. Already
/// clustered under that name: nothing to do. Clustered otherwise: Error("already_clustered").
/// Returns what joiners need: {"cluster_address", "certificate", "fingerprint"}.
sdk::Json bootstrap_cluster(const LxdApi& api, const std::string& name, const std::string& ip, PriorAddresses& prior);

/// A join token for `joiner` (an older token for it is cancelled), with the cluster's certificate,
/// its fingerprint and the storage pools and networks that exist ({"pools": {name: driver}, "networks": [..]}).
sdk::Json issue_join_token(const LxdApi& api, const std::string& joiner);

/// Joins this LXD (`name`, listening on `ip`) to the cluster `token` (issue_join_token's answer,
/// plus "certificate_fingerprint": the SHA-256 of its certificate as computed here) names, with
/// `member_config` ([{entity, name, key, value}]). The token's fingerprint must be the
/// certificate's (LXD then pins that certificate). Already a member of that cluster: nothing to do.
void join_cluster(const LxdApi& api, const std::string& name, const std::string& ip, const sdk::Json& token,
                  const sdk::Json& member_config, PriorAddresses& prior);

/// Undoes this member's join or bootstrap: leaves the cluster (the last member disables
/// clustering), waits until LXD is standalone again, restores the prior addresses. Not clustered:
/// only the addresses. Returns {"left": bool}.
sdk::Json leave_cluster(const LxdApi& api, const std::string& name, const PriorAddresses& prior);

/// For a rollback on member `self`: the members of `candidates` (the run's members, `self` aside)
/// that LXD's cluster lists but that do not answer through it are removed from it by force, while
/// the members that answer still make a quorum (before `self` leaves). A member that was in the
/// cluster before the run is never among the candidates. Returns the names removed.
sdk::Json drop_silent_members(const LxdApi& api, const std::string& self, const sdk::Json& candidates);

/// Removes member `name` from the cluster this LXD belongs to; LXD refuses (with its reason) when
/// the member still holds instances, unless `force`. Returns {"removed": bool, "detail"}.
sdk::Json remove_cluster_member(const LxdApi& api, const std::string& name, bool force);

}  // namespace microcloud::plugins::lxd
