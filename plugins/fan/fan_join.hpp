// plugins/fan/fan_join.hpp - the join and teardown hooks' results (pure): what the fan hands LXD
// (lxdfan0 and its underlay subnet), and that there is nothing of the fan's own to undo.
#pragma once

#include "fan_kernel.hpp"

#include <microcloud/sdk/plugin.hpp>

#include <string>

namespace microcloud::plugins::fan {

/// The bridge LXD creates with bridge.mode=fan.
inline constexpr const char* kFanNetwork = "lxdfan0";

/// The bootstrap member's join result, published to LXD as published["fan"]:
/// {"network":"lxdfan0", "underlay_subnet":"a.b.0.0/16" (fan_underlay_subnet of the default
/// route's subnet), "default_route":{interface, subnet}, "kernel":{...}, "warnings":[...]}.
/// `member_facts` as the host's member_facts service gives them. Throws sdk::Error
/// "fan_unsupported" (kernel without the fan), "no_default_route" or "invalid_default_route",
/// each naming `member` and what is missing.
sdk::Json fan_bootstrap_result(const std::string& member, const sdk::Json& member_facts, const FanKernelFacts& kernel);

/// A joining member's result: {"network":"lxdfan0", "kernel":{...}, "warnings":[...]}; LXD's
/// join brings the bridge. Throws sdk::Error("fan_unsupported") when the kernel lacks the fan.
sdk::Json fan_member_join_result(const std::string& member, const FanKernelFacts& kernel);

/// The teardown answer for input {"mode":"rollback"|"remove", "remove", "member":{name}}: the
/// fan creates nothing itself (LXD's rollback deletes lxdfan0), so {"mode", "member", "undone":[],
/// "message"} saying there was nothing to undo. Throws sdk::Error("invalid_input") only for
/// another mode.
sdk::Json fan_teardown_result(const sdk::Json& input);

}  // namespace microcloud::plugins::fan
