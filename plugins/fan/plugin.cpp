// plugins/fan/plugin.cpp - the fan plugin: whether the Ubuntu fan can be the network here, the
// plan's checks, and the underlay subnet LXD's lxdfan0 gets. Only gathers inputs; the rules live
// in fan_report, fan_plan and fan_join.
#include "fan_config.hpp"
#include "fan_join.hpp"
#include "fan_kernel.hpp"
#include "fan_plan.hpp"
#include "fan_report.hpp"

#include <microcloud/sdk/plugin.hpp>

namespace microcloud::plugins::fan {

namespace {

// Where the kernel's fan support is read (fan_kernel.hpp).
FanKernelFacts local_kernel() {
    return read_fan_kernel_facts("/proc", "/sys");
}

std::string member_name(const sdk::Json& input) {
    const sdk::Json member = input.value("member", sdk::Json::object());
    return member.is_object() ? member.value("name", "") : "";
}

}  // namespace

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
        return fan_report(facts, local_kernel(), facts_error);
    }

    sdk::Json validate(sdk::Context& ctx) override { return fan_plan_problems(ctx.input()); }

    sdk::Json join(sdk::Context& ctx) override {
        const sdk::Json& input = ctx.input();
        const std::string member = member_name(input);
        if (!input.value("bootstrap", false)) return fan_member_join_result(member, local_kernel());
        sdk::Json result = fan_bootstrap_result(member, ctx.member_facts(), local_kernel());
        ctx.info("fan: " + std::string(kFanNetwork) + " will use the underlay subnet " +
                 result["underlay_subnet"].get<std::string>());
        return result;
    }

    sdk::Json teardown(sdk::Context& ctx) override { return fan_teardown_result(ctx.input()); }
};

}  // namespace microcloud::plugins::fan

MICROCLOUD_PLUGIN(microcloud::plugins::fan::FanPlugin, "org.microcloud.fan", "0.1.0")
