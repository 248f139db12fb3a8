// host/formation/address_rules.hpp - IP addresses and networks written as text: parsing and the
// checks that the preseed's rules and the interactive questions share.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace microcloud::host::formation {

// The IPv4 address in `text` (host order), or nullopt.
std::optional<std::uint32_t> ipv4(const std::string& text);
// Whether `text` is an IPv4 or IPv6 address.
bool is_ip(const std::string& text);

// An IPv4 address with a prefix length ("10.0.0.1/24").
struct Cidr4 {
    std::uint32_t address = 0;
    int prefix = 0;
    std::uint32_t mask() const { return prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix); }
    std::uint32_t network() const { return address & mask(); }
    std::uint32_t broadcast() const { return network() | ~mask(); }
    bool contains(std::uint32_t ip) const { return (ip & mask()) == network(); }
};
std::optional<Cidr4> cidr4(const std::string& text);
// Whether `text` is an IPv6 address with a prefix length.
bool is_cidr6(const std::string& text);

// Why `text` is not an IP network in CIDR form, in the words of Go's net.ParseCIDR and LXD's
// validate.IsNetwork (which upstream quotes), or nothing when it is one.
std::optional<std::string> not_a_network(const std::string& text);

// Whether the address `ip` (IPv4 or IPv6) lies inside the network `cidr`.
bool network_contains(const std::string& cidr, const std::string& ip);

}  // namespace microcloud::host::formation
