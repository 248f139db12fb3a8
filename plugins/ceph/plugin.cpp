// plugins/ceph/plugin.cpp - the Ceph plugin: discovery of Ceph and an existing cluster; the
// other hooks follow.
#include "ceph_config.hpp"
#include "ceph_discovery.hpp"
#include "ceph_report.hpp"

#include <microcloud/sdk/plugin.hpp>

#include <cstdlib>

namespace microcloud::plugins::ceph {

class CephPlugin final : public sdk::Plugin {
public:
    explicit CephPlugin(const sdk::Json& config) : config_(parse_ceph_config(config)) {}

    sdk::Json discover(sdk::Context& ctx) override {
        CommandRunner run = [&ctx](const std::vector<std::string>& argv, const sdk::CommandOptions& options) {
            return ctx.run(argv, options);
        };
        const char* path = std::getenv("PATH");
        return ceph_report(observe_ceph(config_, run, path ? path : ""));
    }

    sdk::Json validate(sdk::Context&) override { sdk::not_implemented("ceph", "validate"); }
    sdk::Json join(sdk::Context&) override { sdk::not_implemented("ceph", "join"); }
    sdk::Json teardown(sdk::Context&) override { sdk::not_implemented("ceph", "teardown"); }

private:
    CephConfig config_;
};

}  // namespace microcloud::plugins::ceph

MICROCLOUD_PLUGIN(microcloud::plugins::ceph::CephPlugin, "org.microcloud.ceph", "0.1.0")
