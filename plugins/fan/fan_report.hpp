// plugins/fan/fan_report.hpp - the fan discover report, from the member's facts and the
// kernel's fan support (pure: no I/O).
#pragma once

#include "fan_kernel.hpp"

#include <microcloud/sdk/plugin.hpp>

#include <string>

namespace microcloud::plugins::fan {

/// The report's "kernel" object: {release, ubuntu, fan_sysctl, fan_version, ipip_module_loaded,
/// supported, checked}, `supported` being judge_fan_kernel's verdict.
sdk::Json fan_kernel_report(const FanKernelFacts& kernel, bool supported);

// `member_facts` as the host's member_facts service gives them: "default_route" ({interface,
// gateway, metric, address, subnet} or null) and "interfaces" ([{name, addresses:[{family,
// address, prefix}]}]). `facts_error` is set when the host could not give them.
// Report: {"component":"Ubuntu fan", "present", "reasons", "warnings", "default_route":{interface,
// gateway, address, subnet} or null, "underlay_subnet":"a.b.0.0/16" or null, "kernel":{release,
// ubuntu, fan_sysctl, fan_version, ipip_module_loaded, supported, checked}}.
// present is false, each reason starting "Fan networking is not usable:", when there is no
// usable IPv4 default route or the kernel lacks the fan.
sdk::Json fan_report(const sdk::Json& member_facts, const FanKernelFacts& kernel, const std::string& facts_error = {});

}  // namespace microcloud::plugins::fan
