// plugins/fan/fan_plan.hpp - the validate hook's rules (pure): the fan is usable only when every
// member's discovery report says so.
#pragma once

#include <microcloud/sdk/plugin.hpp>

namespace microcloud::plugins::fan {

/// The field every fan problem names.
inline constexpr const char* kFanField = "fan";

/// Problems as [{"field", "message", "severity": "error"|"warning"}] for the validate input
/// ({members, discovery: {member: fan report or {"error": {code, message}}}, ...}):
/// - one error when any member has no report, a failed discovery, or a report with present
///   false; it lists each such member with its reasons, then upstream's verdict ("Cluster
///   bootstrapping aborted due to lack of usable networking") and the ways out (OVN, or
///   `--disable-plugin fan`);
/// - one warning per distinct warning text in the reports, naming the members it came from;
/// - one warning per member whose default-route address lies outside the underlay subnet of the
///   first member (the initiator), which LXD's lxdfan0 would use.
/// Throws sdk::Error("invalid_input") when "members" is not an array of names.
sdk::Json fan_plan_problems(const sdk::Json& input);

}  // namespace microcloud::plugins::fan
