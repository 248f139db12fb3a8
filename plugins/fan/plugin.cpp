// plugins/fan/plugin.cpp - the fan plugin: whether the Ubuntu fan can be the network here; the
// other hooks follow.
#include "fan_config.hpp"
#include "fan_kernel.hpp"
#include "fan_report.hpp"

#include <microcloud/sdk/plugin.hpp>

namespace microcloud::plugins::fan {

class FanPlugin final : public sdk::Plugin {
public:
    explicit FanPlugin(const sdk::Json& config) { check_fan_config(config); }

    sdk::Json discover(sdk::Context& ctx) override {
        sdk::Json facts;
        std::string facts_error;
        try {
            facts = ctx.member_facts();
        } catch (const std::exception& e) {
            facts_error = e.what();
        }
        return fan_report(facts, read_fan_kernel_facts("/proc", "/sys"), facts_error);
    }

    sdk::Json validate(sdk::Context&) override { sdk::not_implemented("fan", "validate"); }
    sdk::Json join(sdk::Context&) override { sdk::not_implemented("fan", "join"); }
    sdk::Json teardown(sdk::Context&) override { sdk::not_implemented("fan", "teardown"); }
};

}  // namespace microcloud::plugins::fan

MICROCLOUD_PLUGIN(microcloud::plugins::fan::FanPlugin, "org.microcloud.fan", "0.1.0")
