// plugins/ovn/ovsdb_json.hpp - reads what ovsdb-server answers: OVSDB datums (atoms, ["set",...],
// ["map",...], ["uuid",...]) and select rows turned into plain JSON, and the chassis settings.
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <string>
#include <vector>

namespace microcloud::plugins::ovn {

// One OVSDB datum as plain JSON: an atom stays as it is, ["set",[a,b]] becomes [a,b],
// ["map",[[k,v],...]] becomes {k: v, ...} (keys as text), ["uuid",u] becomes u.
sdk::Json plain_datum(const sdk::Json& datum);

// One row of an OVSDB select answer ({column: datum}) with every datum plain (plain_datum); an
// empty object for anything that is not an object.
sdk::Json plain_row(const sdk::Json& row);

// A column value that may be a set as a list of strings: OVSDB writes a one-element set as the
// bare atom, so "netdev" and ["netdev"] both give {"netdev"}.
std::vector<std::string> string_list(const sdk::Json& value);

// The chassis keys MicroCloud reads from Open_vSwitch external_ids.
inline constexpr const char* kChassisKeys[] = {"system-id", "ovn-remote", "ovn-encap-type", "ovn-encap-ip",
                                               "ovn-bridge-datapath-type"};

// {key: value or null} for each of kChassisKeys, from an external_ids object.
sdk::Json chassis_settings(const sdk::Json& external_ids);

}  // namespace microcloud::plugins::ovn
