// plugins/ovn/ovn_plan_rules.hpp - the validate hook's checks (pure): whether OVN takes part in
// the plan at all, OVN installed on every member, each member's uplink interface and underlay IP
// against its discovery report, the parts of the ovn section the host's preseed rules leave to
// the plugin, and the size of the OVN central cluster.
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <optional>
#include <string>

namespace microcloud::plugins::ovn {

/// The tail of every uplink problem about the interface's state, master or addresses.
inline constexpr const char* kUplinkRuleText =
    "an uplink must be up, not part of another device, and have no global address unless it is a bridge";

/// The tail of the uplink problem about the interface's kind.
inline constexpr const char* kUplinkTypeText = "an uplink must be a physical interface, bond, VLAN or bridge";

/// Why OVN takes no part in this plan (the preseed has neither an ovn section nor any
/// systems[].ovn_uplink_interface), or nothing when it does.
std::optional<std::string> ovn_not_taking_part(const sdk::Json& input);

/// Problems as [{"field", "message", "severity": "error"|"warning"}] for the validate input
/// ({members, addresses, joining, bootstrap, config, preseed, discovery: {member: report},
/// member}). Members without a report (a dry run knows only its own) are not judged. Throws
/// sdk::Error("unsupported", why) when OVN takes no part (ovn_not_taking_part).
sdk::Json ovn_plan_problems(const sdk::Json& input);

}  // namespace microcloud::plugins::ovn
