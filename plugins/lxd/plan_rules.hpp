// plugins/lxd/plan_rules.hpp - the validate hook's checks (pure): every member's discovery report
// against the plan: LXD running, version and extensions, standalone (or the cluster itself when
// growing it), no pool or network in the way, each local disk present and usable, the configured
// driver available. (The uplink interface is the OVN plugin's to judge.)
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <optional>
#include <string>
#include <vector>

namespace microcloud::plugins::lxd {

/// LXD API extensions the plugin relies on.
const std::vector<std::string>& required_extensions();

/// The preseed section's (the `lxd` key) accepted keys.
const std::vector<std::string>& plan_config_keys();

/// Why LXD takes no part in this plan (it runs on none of the members judged), or nothing. The
/// validate hook then answers "unsupported", and the formation goes on without LXD.
std::optional<std::string> not_taking_part(const sdk::Json& input);

/// Problems as [{"field", "message", "severity": "error"|"warning"}] for the validate input
/// ({members, joining, bootstrap, config, preseed, discovery: {member: report}}). Members without
/// a report (a dry run knows only its own) are not judged.
sdk::Json plan_problems(const sdk::Json& input);

}  // namespace microcloud::plugins::lxd
