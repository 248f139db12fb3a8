// plugins/ceph/plugin.cpp - the Ceph plugin: discovery of Ceph, this member's disks and addresses;
// validation of the plan (ceph_plan_rules.hpp); forming the cluster (ceph_cluster.hpp).
#include "ceph_cluster.hpp"
#include "ceph_config.hpp"
#include "ceph_discovery.hpp"
#include "ceph_plan_rules.hpp"
#include "ceph_report.hpp"
#include "member_view.hpp"

#include <microcloud/sdk/plugin.hpp>

#include <cstdlib>

namespace microcloud::plugins::ceph {

class CephPlugin final : public sdk::Plugin {
public:
    explicit CephPlugin(const sdk::Json& config) : config_(parse_ceph_config(config)), cluster_(config_) {}

    sdk::Json discover(sdk::Context& ctx) override {
        CommandRunner run = [&ctx](const std::vector<std::string>& argv, const sdk::CommandOptions& options) {
            return ctx.run(argv, options);
        };
        const char* path = std::getenv("PATH");
        // Asked for `microcloud status`: the status hook queries the cluster, not discovery too.
        const bool for_status = ctx.discovering_for_status();
        sdk::Json report = ceph_report(observe_ceph(config_, run, path ? path : "", !for_status));
        // For status the member's disks and addresses (a walk through /sys, blkid per disk) are
        // left out too: they are the plan's to check.
        if (for_status) {
            report["running"] = nullptr;  // unknown here: the status hook says
            return report;
        }
        const auto blkid = [&ctx](const std::vector<std::string>& argv) -> std::optional<std::string> {
            sdk::CommandOptions options;
            options.timeout = std::chrono::seconds(5);
            const auto result = ctx.run(argv, options);
            return result.ok() ? std::optional<std::string>(result.out) : std::nullopt;
        };
        try {
            add_member_view(report, ctx.member_facts(), config_,
                            [&](const std::string& device) { return probe_disk(device, blkid); });
        } catch (const sdk::Error& e) {
            report["warnings"].push_back("This member's disks and addresses are unknown: " + std::string(e.what()));
        }
        return report;
    }

    sdk::Json validate(sdk::Context& ctx) override { return ceph_plan_problems(ctx.input()); }
    sdk::Json join(sdk::Context& ctx) override { return cluster_.join(ctx); }
    sdk::Json teardown(sdk::Context& ctx) override { return cluster_.teardown(ctx); }
    sdk::Json issue_token(sdk::Context& ctx) { return cluster_.issue_token(ctx); }
    sdk::Json configure(sdk::Context& ctx) { return cluster_.configure(ctx); }
    sdk::Json status(sdk::Context& ctx) { return cluster_.status(ctx); }

private:
    CephConfig config_;
    CephCluster cluster_;
};

}  // namespace microcloud::plugins::ceph

MICROCLOUD_PLUGIN(microcloud::plugins::ceph::CephPlugin, "org.microcloud.ceph", "0.1.0")
