// plugins/ovn/member_network.hpp - what validation needs about this member's network, built
// (purely) from the host's member facts and the OVS bridge names: each interface with whether it
// can be OVN's uplink and why not, and every global address of the member.
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <string>
#include <vector>

namespace microcloud::plugins::ovn {

/// Why an interface cannot carry OVN's uplink network (upstream: a physical interface, bridge,
/// bond or VLAN that is up, not part of another device, with no global address unless a bridge).
enum class UplinkFlaw { none, wrong_type, not_up, enslaved, global_address };

/// The flaw of one interface entry as the report lists it ({"name", "type", "state", "master",
/// "ovs_bridge", "global_addresses"}); the first flaw in that order. An OVS bridge counts as a
/// bridge whatever its kernel type, its state "unknown" counts as up, and its master
/// "ovs-system" (the kernel datapath) is not another device.
UplinkFlaw uplink_flaw(const sdk::Json& interface);

/// The kind of interface in words for a message, e.g. "a veth pair end", "a tun/tap device".
std::string interface_kind_text(const std::string& type);

/// Why the entry is no uplink candidate, in words ("it is down", ...); "" when it is one.
std::string uplink_flaw_text(UplinkFlaw flaw, const sdk::Json& interface);

/// The report's entry for one interface of the member facts: {"name", "type", "state", "master",
/// "ovs_bridge", "global_addresses": ["a.b.c.d/24", ...], "uplink_candidate", "why_not"}.
sdk::Json interface_entry(const sdk::Json& fact, const std::vector<std::string>& ovs_bridges);

/// {"interfaces": [entries, loopback left out], "addresses": [every global address, plain IP]}
/// from the member facts ({"interfaces": [{"name", "type", "state", "master", "addresses":
/// [{"family", "address", "prefix", "scope"}]}], ...}). Anything malformed is skipped.
sdk::Json member_network(const sdk::Json& facts, const std::vector<std::string>& ovs_bridges);

/// Adds "interfaces" and "addresses" to a discover report from the member facts, taking the OVS
/// bridges from the report's "bridges".
void add_member_network(sdk::Json& report, const sdk::Json& facts);

/// Adds empty "interfaces" and "addresses" and a warning naming `why` to a discover report whose
/// member facts could not be read.
void note_member_network_unknown(sdk::Json& report, const std::string& why);

}  // namespace microcloud::plugins::ovn
