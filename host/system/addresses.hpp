// host/system/addresses.hpp - IP addresses configured on this machine's interfaces (getifaddrs).
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace microcloud::host::system {

struct InterfaceAddress {
    std::string interface;  // kernel name, without any ":label" suffix
    std::string family;     // inet | inet6
    std::string address;    // textual, e.g. "10.0.0.2" or "fe80::1"
    int prefix = 0;         // netmask length
    std::string scope;      // global | link | host
};

// Where addresses come from; tests supply fixed lists.
using AddressSource = std::function<std::vector<InterfaceAddress>()>;

// Every IPv4/IPv6 address of every interface, in getifaddrs() order. Throws Error
// ("system_facts_unreadable") when the kernel cannot be asked.
std::vector<InterfaceAddress> local_addresses();

// "host" for loopback, "link" for link-local, otherwise "global"; `family` is inet or inet6.
std::string address_scope(const std::string& family, const std::string& address);

// The IPv4 network holding `address`/`prefix` in CIDR form ("10.0.0.0/24"); "" when invalid.
std::string ipv4_network(const std::string& address, int prefix);

}  // namespace microcloud::host::system
