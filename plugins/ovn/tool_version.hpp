// plugins/ovn/tool_version.hpp - parses the `--version` output of OVS/OVN programs.
#pragma once

#include <microcloud/sdk/programs.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace microcloud::plugins::ovn {

// Program lookup and version comparison come from the SDK's helpers.
using namespace sdk::programs;

// What an OVS or OVN program prints for `--version`, e.g.
//   "ovs-vsctl (Open vSwitch) 3.1.0\nDB Schema 8.3.1\n"
//   "ovn-controller 23.03.1\nOpen vSwitch Library 3.1.0\nOpenFlow versions 0x6:0x6\nSB DB Schema 20.27.0\n"
struct ToolVersion {
    std::string program;       // first word of the first line ("ovs-vsctl")
    std::string version;       // the program's own version ("3.1.0", "23.03.1")
    std::string ovs_library;   // "Open vSwitch Library" line of OVN programs ("" when absent)
    std::string db_schema;     // "DB Schema" line ("" when absent)
    std::string sb_db_schema;  // "SB DB Schema" line ("" when absent)
};

// nullopt when the first line does not end in a version number.
std::optional<ToolVersion> parse_tool_version(std::string_view output);

}  // namespace microcloud::plugins::ovn
