// plugins/ovn/plugin.cpp - the OVN plugin: discovery of Open vSwitch/OVN; the other hooks follow.
#include "ovn_config.hpp"
#include "ovn_discovery.hpp"
#include "ovn_report.hpp"

#include <microcloud/sdk/plugin.hpp>

namespace microcloud::plugins::ovn {

class OvnPlugin final : public sdk::Plugin {
public:
    explicit OvnPlugin(const sdk::Json& config) : config_(parse_ovn_config(config)) {}

    sdk::Json discover(sdk::Context& ctx) override {
        CommandRunner run = [&ctx](const std::vector<std::string>& argv, const sdk::CommandOptions& options) {
            return ctx.run(argv, options);
        };
        SystemRoots roots;
        roots.path_env = process_env("PATH").value_or("");
        return ovn_report(observe_ovn(config_, run, roots));
    }

    sdk::Json validate(sdk::Context&) override { sdk::not_implemented("ovn", "validate"); }
    sdk::Json join(sdk::Context&) override { sdk::not_implemented("ovn", "join"); }
    sdk::Json teardown(sdk::Context&) override { sdk::not_implemented("ovn", "teardown"); }

private:
    OvnConfig config_;
};

}  // namespace microcloud::plugins::ovn

MICROCLOUD_PLUGIN(microcloud::plugins::ovn::OvnPlugin, "org.microcloud.ovn", "0.1.0")
