// plugins/fan/ipv4.hpp - IPv4 addresses and prefixes ("10.1.2.3", "10.1.2.0/24") as numbers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace microcloud::plugins::fan {

// An address with a prefix length; `address` may have host bits set ("10.1.2.3/24").
struct Ipv4Prefix {
    std::uint32_t address = 0;
    int length = 0;
    bool operator==(const Ipv4Prefix&) const = default;
};

// Strict dotted quad: four decimal parts 0-255, no leading '+' or spaces.
std::optional<std::uint32_t> parse_ipv4(std::string_view text);

// "a.b.c.d/n" with n in 0-32.
std::optional<Ipv4Prefix> parse_ipv4_prefix(std::string_view text);

std::string format_ipv4(std::uint32_t address);
std::string format_prefix(const Ipv4Prefix& prefix);  // "a.b.c.d/n"

std::uint32_t prefix_mask(int length);
// The prefix with its host bits cleared ("10.1.2.3/16" -> "10.1.0.0/16").
Ipv4Prefix network_of(const Ipv4Prefix& prefix);
bool contains(const Ipv4Prefix& network, std::uint32_t address);

}  // namespace microcloud::plugins::fan
