// plugins/ovn/ovn_cluster.hpp - forming OVN across the members: the first member creates the CA
// and the NB/SB raft clusters, the first three run the central databases and northd, every member
// runs ovn-controller with a chassis of its own; tokens carry what a joiner needs; teardown undoes
// a run, takes a member out, or lets a member leave; status reads the raft roles and the chassis.
#pragma once

#include "ovn_config.hpp"
#include "ovn_topology.hpp"

#include <microcloud/sdk/plugin.hpp>

#include <optional>
#include <string>
#include <vector>

namespace microcloud::plugins::ovn {

/// What one join on this member changed, in order, so that a failed run can be taken back.
struct RunRecord {
    std::vector<std::string> started;           ///< ovn-ctl daemons started ("nb_ovsdb", "controller", ...)
    std::vector<std::string> created;           ///< files and directories created
    std::optional<sdk::Json> external_ids;      ///< the keys this run set in OVS, with their prior values (null: unset)
    bool created_integration_bridge = false;    ///< br-int did not exist before
};

class OvnCluster {
public:
    explicit OvnCluster(OvnConfig config) : config_(std::move(config)) {}

    /// The join hook: bootstrap ("bootstrap": true) or a joiner with its "token". Every join answers
    /// what LXD needs ({northbound_connection, ca_cert, client_cert, client_key}; the host publishes
    /// it) and the centrals. Idempotent. A failed join takes back its own changes before the error
    /// goes on.
    sdk::Json join(const sdk::Context& ctx);

    /// {"ca_cert", "ca_key", "centrals"} for the joiner input "name".
    sdk::Json issue_token(const sdk::Context& ctx) const;

    /// Records the centrals once a run's members have joined (on the first member).
    sdk::Json configure(const sdk::Context& ctx) const;

    /// "rollback": undo this member's part of the failed run; "remove" (on a current member):
    /// take member "remove" out of the raft clusters and delete its chassis; "leave" (on the
    /// member being removed): leave the raft clusters, stop OVN and forget its files.
    sdk::Json teardown(const sdk::Context& ctx);

    /// This member's raft roles and leaders (centrals), its controller's connection, the chassis.
    sdk::Json status(const sdk::Context& ctx) const;

private:
    // Whether MicroCloud formed OVN on this member (its centrals are recorded here).
    bool formed_here() const;
    sdk::Json leave(const sdk::Context& ctx);
    sdk::Json remove(const sdk::Context& ctx, const std::string& name);

    OvnConfig config_;
    RunRecord record_;
};

/// One line for `microcloud status` out of status(): "NB leader; SB follower; controller
/// connected; chassis registered; 3 chassis in the cloud" ("not formed here" when OVN is not).
std::string health_summary(const sdk::Json& status);

/// This member's row in `microcloud service list`, out of status(): {"role": its database roles
/// and "chassis" when its chassis is registered (one per line), "status": "ONLINE" when every
/// database here is a raft member with a known leader and a registered chassis' controller is
/// connected, else what is wrong}. null when OVN is not formed here.
sdk::Json service_row(const sdk::Json& status);

/// Takes back what `record` lists on this member (daemons stopped in reverse order, files removed,
/// OVS's external_ids restored, br-int deleted). Every step is tried; returns {"undone", "failed"}.
sdk::Json undo_run(const sdk::Context& ctx, const OvnConfig& config, const RunRecord& record);

}  // namespace microcloud::plugins::ovn
