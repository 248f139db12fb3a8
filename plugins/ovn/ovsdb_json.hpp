// plugins/ovn/ovsdb_json.hpp - reads `ovs-vsctl --format=json list <table>` output: OVSDB
// datums (atoms, ["set",...], ["map",...], ["uuid",...]) turned into plain JSON.
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace microcloud::plugins::ovn {

// One OVSDB datum as plain JSON: an atom stays as it is, ["set",[a,b]] becomes [a,b],
// ["map",[[k,v],...]] becomes {k: v, ...} (keys as text), ["uuid",u] becomes u.
sdk::Json plain_datum(const sdk::Json& datum);

// The rows of `ovs-vsctl --format=json list` output ({"data":[[...]],"headings":[...]}), each
// an object keyed by column heading with plain values. nullopt when the text is not that shape.
std::optional<std::vector<sdk::Json>> parse_vsctl_list(std::string_view output);

// A column value that may be a set as a list of strings: OVSDB writes a one-element set as the
// bare atom, so "netdev" and ["netdev"] both give {"netdev"}.
std::vector<std::string> string_list(const sdk::Json& value);

// The argv that reads the Open_vSwitch row (external_ids, ovs_version, datapath_types) from the
// database at unix socket `socket`, waiting at most 2 s for it.
std::vector<std::string> open_vswitch_query_argv(const std::string& ovs_vsctl, const std::string& socket);

// The chassis keys MicroCloud reads from Open_vSwitch external_ids.
inline constexpr const char* kChassisKeys[] = {"system-id", "ovn-remote", "ovn-encap-type", "ovn-encap-ip",
                                               "ovn-bridge-datapath-type"};

// {key: value or null} for each of kChassisKeys, from an external_ids object.
sdk::Json chassis_settings(const sdk::Json& external_ids);

}  // namespace microcloud::plugins::ovn
