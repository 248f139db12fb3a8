// host/system/routes.hpp - the default IPv4 route from the kernel's <proc>/net/route table.
#pragma once

#include "system/addresses.hpp"
#include "system/facts.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace microcloud::host::system {

// The default route in `route_table` (the text of /proc/net/route, fields in little-endian hex):
// {interface, gateway, metric, address, subnet}, where address is the interface's first IPv4
// address in `addresses` and subnet its network in CIDR ("" for both when it has none); gateway
// is "" for a route without one. Among several default routes the lowest metric wins, then the
// first listed. null when there is no usable default route. Pure.
nlohmann::json parse_default_route(const std::string& route_table, const std::vector<InterfaceAddress>& addresses);

// parse_default_route() on <proc>/net/route with addresses from `addresses`. Throws Error
// ("system_facts_unreadable") when the table cannot be read.
nlohmann::json default_ipv4_route(const FactsRoots& roots, const AddressSource& addresses);

}  // namespace microcloud::host::system
