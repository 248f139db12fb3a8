// plugins/ovn/plugin.cpp - the OVN plugin: discovery and validation of Open vSwitch/OVN (here),
// forming the OVN cluster (ovn_cluster.hpp).
#include "member_network.hpp"
#include "ovn_cluster.hpp"
#include "ovn_config.hpp"
#include "ovn_discovery.hpp"
#include "ovn_plan_rules.hpp"
#include "ovn_report.hpp"

#include <microcloud/sdk/plugin.hpp>

namespace microcloud::plugins::ovn {

class OvnPlugin final : public sdk::Plugin {
public:
    explicit OvnPlugin(const sdk::Json& config) : config_(parse_ovn_config(config)), cluster_(config_) {}

    sdk::Json discover(sdk::Context& ctx) override {
        CommandRunner run = [&ctx](const std::vector<std::string>& argv, const sdk::CommandOptions& options) {
            return ctx.run(argv, options);
        };
        SystemRoots roots;
        roots.path_env = process_env("PATH").value_or("");
        sdk::Json report = ovn_report(observe_ovn(config_, run, roots));
        // For `microcloud status` the member's interfaces and addresses (a walk through /sys, the
        // plan's to check) are left out.
        if (ctx.discovering_for_status()) return report;
        try {
            add_member_network(report, ctx.member_facts());
        } catch (const std::exception& e) {
            note_member_network_unknown(report, e.what());
        }
        return report;
    }

    sdk::Json validate(sdk::Context& ctx) override { return ovn_plan_problems(ctx.input()); }

    // ---- forming the cluster (owned by the cluster half; see ovn_cluster.hpp) ----
    sdk::Json join(sdk::Context& ctx) override { return cluster_.join(ctx); }
    sdk::Json teardown(sdk::Context& ctx) override { return cluster_.teardown(ctx); }
    sdk::Json issue_token(sdk::Context& ctx) { return cluster_.issue_token(ctx); }
    sdk::Json configure(sdk::Context& ctx) { return cluster_.configure(ctx); }
    sdk::Json status(sdk::Context& ctx) { return cluster_.status(ctx); }

private:
    OvnConfig config_;
    OvnCluster cluster_;
};

}  // namespace microcloud::plugins::ovn

MICROCLOUD_PLUGIN(microcloud::plugins::ovn::OvnPlugin, "org.microcloud.ovn", "0.1.0")
