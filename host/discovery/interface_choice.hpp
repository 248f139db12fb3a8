// host/discovery/interface_choice.hpp - which interface discovery uses for a lookup subnet or a name.
#pragma once

#include "discovery/multicast_socket.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace microcloud::host::discovery {

// An interface and the IPv4 address on it that discovery will use, with that address's network.
struct ChosenInterface {
    Endpoint endpoint;
    int prefix = 0;
    std::string subnet;  // the network of the address in CIDR form, e.g. "10.174.0.0/24"
};

// One IPv4 address of an interface, from system facts.
struct Ipv4Address {
    std::string interface;
    std::string address;
    int prefix = 0;
};

// Every IPv4 address in `interfaces` (host/system's collect_interfaces() output), in order.
std::vector<Ipv4Address> ipv4_addresses(const nlohmann::json& interfaces);

// The first interface (in the order given) holding an IPv4 address inside `cidr` (e.g. a preseed's
// lookup_subnet). `interfaces` is host/system's collect_interfaces() output. Throws
// Error("discovery_invalid_subnet") for a malformed or non-IPv4 CIDR and
// Error("discovery_no_interface_for_subnet") naming the subnet and every address seen.
ChosenInterface interface_for_subnet(const nlohmann::json& interfaces, const std::string& cidr);

// The interface called `name` and its first IPv4 address. Throws
// Error("discovery_no_such_interface") or Error("discovery_interface_without_ipv4").
ChosenInterface interface_by_name(const nlohmann::json& interfaces, const std::string& name);

}  // namespace microcloud::host::discovery
