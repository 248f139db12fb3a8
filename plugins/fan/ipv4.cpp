// plugins/fan/ipv4.cpp - IPv4 address and prefix parsing and formatting.
#include "ipv4.hpp"

#include <charconv>

namespace microcloud::plugins::fan {
namespace {

// A decimal number in [0, max] filling all of `text`.
std::optional<unsigned> parse_number(std::string_view text, unsigned max) {
    if (text.empty() || text.size() > 3) return std::nullopt;
    unsigned value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value > max) return std::nullopt;
    return value;
}

}  // namespace

std::optional<std::uint32_t> parse_ipv4(std::string_view text) {
    std::uint32_t address = 0;
    for (int part = 0; part < 4; ++part) {
        auto dot = part < 3 ? text.find('.') : text.size();
        if (dot == std::string_view::npos) return std::nullopt;
        auto value = parse_number(text.substr(0, dot), 255);
        if (!value) return std::nullopt;
        address = (address << 8) | *value;
        text.remove_prefix(part < 3 ? dot + 1 : dot);
    }
    if (!text.empty()) return std::nullopt;
    return address;
}

std::optional<Ipv4Prefix> parse_ipv4_prefix(std::string_view text) {
    auto slash = text.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    auto address = parse_ipv4(text.substr(0, slash));
    auto length = parse_number(text.substr(slash + 1), 32);
    if (!address || !length) return std::nullopt;
    return Ipv4Prefix{*address, static_cast<int>(*length)};
}

std::string format_ipv4(std::uint32_t address) {
    return std::to_string(address >> 24) + "." + std::to_string((address >> 16) & 0xff) + "." +
           std::to_string((address >> 8) & 0xff) + "." + std::to_string(address & 0xff);
}

std::string format_prefix(const Ipv4Prefix& prefix) {
    return format_ipv4(prefix.address) + "/" + std::to_string(prefix.length);
}

std::uint32_t prefix_mask(int length) {
    if (length <= 0) return 0;
    if (length >= 32) return 0xffffffffu;
    return ~((std::uint32_t{1} << (32 - length)) - 1);
}

Ipv4Prefix network_of(const Ipv4Prefix& prefix) {
    return Ipv4Prefix{prefix.address & prefix_mask(prefix.length), prefix.length};
}

bool contains(const Ipv4Prefix& network, std::uint32_t address) {
    return (address & prefix_mask(network.length)) == (network.address & prefix_mask(network.length));
}

}  // namespace microcloud::plugins::fan
