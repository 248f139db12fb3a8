// plugins/ceph/cidr.hpp - IPv4/IPv6 subnets for Ceph's public and cluster networks: parsing
// "addr/len", membership of an address, and the subnet an interface address lies in.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace microcloud::plugins::ceph {

struct Cidr {
    bool v6 = false;
    std::array<std::uint8_t, 16> bytes{};  // network address (first 4 bytes for IPv4)
    int prefix = 0;

    /// True when `address` (no prefix) is inside this subnet.
    bool contains(const std::string& address) const;
    /// "network/prefix", the network address with host bits cleared.
    std::string text() const;
    /// More than one address (upstream: a /32 or /128 is refused).
    bool has_room() const { return prefix < (v6 ? 128 : 32); }
};

/// Parses "a.b.c.d/n" or "x::y/n"; nullopt when it is not such a subnet.
std::optional<Cidr> parse_cidr(const std::string& text);

/// The subnet `address`/`prefix` lies in (nullopt for a bad address).
std::optional<Cidr> subnet_of(const std::string& address, int prefix);

}  // namespace microcloud::plugins::ceph
