// plugins/lxd/lxd_plugin.hpp - the LXD component plugin: discovery through LXD's REST socket.
#pragma once

#include "apply_state.hpp"
#include "cluster_steps.hpp"
#include "config.hpp"
#include "ovn_tls_files.hpp"
#include "system_view.hpp"

#include <microcloud/sdk/plugin.hpp>

#include <optional>
#include <string>

namespace microcloud::plugins::lxd {

class LxdPlugin final : public sdk::Plugin {
public:
    /// `config` is the daemon configuration's plugins.lxd section; `system` is replaced in tests.
    explicit LxdPlugin(const sdk::Json& config, SystemView system = SystemView::real());

    /// Reports whether LXD is installed and running here, its version, features, pools and networks,
    /// and what the kernel offers its storage drivers ("kernel": {"rbd", "ceph", "device_mapper"}).
    sdk::Json discover(sdk::Context& ctx) override;
    /// The plan's problems (plan_rules.hpp).
    sdk::Json validate(sdk::Context& ctx) override;
    /// Bootstraps LXD's cluster on the first member, or joins this member with its token; wipes
    /// this member's local disk first when the plan says so and LXD cannot.
    sdk::Json join(sdk::Context& ctx) override;
    /// {"remove": NAME, "force"}: removes NAME from LXD's cluster; otherwise undoes this member's join.
    sdk::Json teardown(sdk::Context& ctx) override;
    /// A join token for input "name", with the cluster certificate and existing pools/networks.
    sdk::Json issue_token(sdk::Context& ctx);
    /// Pools, networks and the default profile (desired_state.hpp), created idempotently; the
    /// answer's "notes" say what was left out and why (also logged as warnings).
    sdk::Json configure(sdk::Context& ctx);
    /// This member's place in LXD's cluster (service_status.hpp); LXD not answering is reported,
    /// not thrown.
    sdk::Json status(sdk::Context& ctx);

private:
    // LXD's socket, or Error("lxd_unavailable") saying where it was looked for.
    std::string socket() const;
    // The socket LXD would listen on ("" when none is known), whether or not it exists.
    std::string socket_or_empty() const;
    // After a failed join or bootstrap: leaves LXD's cluster if it got that far and restores the
    // addresses; a failure to do so is logged (the join's own error is the one reported).
    void undo_join(const sdk::Context& ctx, const LxdApi& api, const std::string& member);
    // When the plan says wipe for this member's local disk, the `local` pool will use it and this
    // LXD cannot wipe it (LXD 5.0: no storage_pool_source_wipe): wipes it (local_disk_wipe.hpp),
    // unless LXD's pool `local` holds it already (a re-run).
    void wipe_local_disk_if_asked(const sdk::Context& ctx, const LxdApi& api, const std::string& member);
    // What LXD needs before it meets the cluster's OVN networks, from what the OVN provider
    // published: LXD 5.0 (no ovn_ssl_config) reads OVN's TLS files from /etc/ovn, written here;
    // a `joining` LXD 5.0 starts those networks with its own value of the (cluster-wide)
    // network.ovn.northbound_connection, set here to the cluster's.
    void prepare_for_ovn(const sdk::Context& ctx, const LxdApi& api, bool joining);
    // True when LXD has no instances and no storage pools.
    bool lxd_is_bare(const LxdApi& api) const;
    // True when LXD's socket is there and LXD answers on it.
    bool lxd_answers(const sdk::Context& ctx) const;
    // A rollback on `member` whose LXD does not run: when this run's join clustered it, its
    // cluster state is set aside (offline_reset.hpp) and the settings that could not be restored
    // are named in an Error("teardown_incomplete").
    sdk::Json roll_back_without_lxd(const sdk::Context& ctx, const std::string& member);
    // Puts back what prepare_for_ovn changed; failures are logged.
    void undo_ovn_settings(const sdk::Context& ctx, const LxdApi& api);

    Config config_;
    SystemView system_;
    PriorAddresses prior_;    // what this run's join changed, for teardown
    ReplacedFiles tls_files_;  // OVN TLS files this run's join wrote for LXD 5.0, for teardown
    std::optional<std::string> ovn_connection_before_;  // network.ovn.northbound_connection before the join set it
    AppliedChanges applied_;  // what this run's configure created, for teardown
    // This run bootstrapped LXD's cluster here, and whether that LXD had no instances and no
    // storage pools before: only then may a rollback without LXD set its database aside.
    bool bootstrapped_ = false;
    bool bare_before_ = true;
};

}  // namespace microcloud::plugins::lxd
