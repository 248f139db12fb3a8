// plugins/ceph/ceph_cluster.hpp - forming Ceph across the members with Debian's daemons: the first
// member bootstraps (fsid, keyrings, monmap, mon, mgr), the first three run a monitor and a mgr
// (and an MDS with CephFS), every member turns its chosen disks into bluestore OSDs; tokens carry
// the keyrings a joiner needs; configure creates the pools LXD uses; teardown undoes a run, takes
// a member out, or lets a member leave; status reads health, quorum and this member's OSDs.
#pragma once

#include "ceph_config.hpp"
#include "rados_client.hpp"

#include <microcloud/sdk/plugin.hpp>

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace microcloud::plugins::ceph {

class CephOps;

/// An OSD this member made: its id, uuid and the device behind it.
struct MadeOsd {
    std::string id, uuid, device;
};

/// What one join on this member changed, so that a failed run can be taken back.
struct CephRunRecord {
    bool bootstrapped = false;                ///< this member created the cluster in this run
    std::vector<std::string> started;         ///< daemons started, as "kind.id" in order
    std::vector<std::string> created;         ///< files and directories created
    std::vector<MadeOsd> osds;                ///< OSDs registered (and their disks written)
    std::string mon;                          ///< the monitor this run added to the monmap ("" when none)
};

class CephCluster {
public:
    explicit CephCluster(CephConfig config) : config_(std::move(config)) {}

    /// The join hook: bootstrap ("bootstrap": true) or a joiner with its "token"; answers what LXD
    /// needs ({cluster_name, user, fsid, conf_file, mon_hosts, public_network, cluster_network}).
    /// A failed join takes back its own changes before the error goes on.
    sdk::Json join(const sdk::Context& ctx);

    /// {fsid, mon_hosts, keyrings, networks, run_mon, release} for joiner input "name".
    sdk::Json issue_token(const sdk::Context& ctx);

    /// Pools for LXD (lxd_remote; CephFS lxd_cephfs when asked) with replication min(#OSDs, 3).
    sdk::Json configure(const sdk::Context& ctx);

    /// "rollback", "remove" (on a current member) or "leave" (on the member being removed).
    sdk::Json teardown(const sdk::Context& ctx);

    /// Health, quorum, this member's OSDs (up/in) and a one-line summary.
    sdk::Json status(const sdk::Context& ctx) const;

private:
    sdk::Json rollback(const sdk::Context& ctx);
    sdk::Json leave(const sdk::Context& ctx);
    sdk::Json remove(const sdk::Context& ctx, const std::string& name);
    // The status documents ("status", "osd tree"; null where one failed) through librados when it
    // loads, else one `ceph` process; `unreachable` says why there are none, `client` which was used.
    std::vector<sdk::Json> status_documents(const CephOps& ops, std::string& unreachable,
                                            std::string& client) const;
    // config_.librados loaded on first use (null when "" or it does not load; why in rados_why_).
    std::shared_ptr<const RadosLibrary> rados() const;

    CephConfig config_;
    CephRunRecord record_;
    mutable std::mutex rados_mutex_;
    mutable bool rados_tried_ = false;
    mutable std::shared_ptr<const RadosLibrary> rados_;
    mutable std::string rados_why_;
    mutable KeptRadosConnection status_connection_;  // the status hook's, kept between calls
    std::mutex tokens_mutex_;
    std::set<std::string> promised_mons_;  // joiners told to run a monitor by this process
};

}  // namespace microcloud::plugins::ceph
