// host/formation/address_rules.cpp - IP addresses and networks written as text.
#include "formation/address_rules.hpp"

#include <arpa/inet.h>

#include <algorithm>

namespace microcloud::host::formation {

std::optional<std::uint32_t> ipv4(const std::string& text) {
    in_addr address{};
    if (::inet_pton(AF_INET, text.c_str(), &address) != 1) return std::nullopt;
    return ntohl(address.s_addr);
}

bool is_ip(const std::string& text) {
    unsigned char buffer[16];
    return ::inet_pton(AF_INET, text.c_str(), buffer) == 1 || ::inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

std::optional<Cidr4> cidr4(const std::string& text) {
    const auto slash = text.find('/');
    if (slash == std::string::npos) return std::nullopt;
    const auto address = ipv4(text.substr(0, slash));
    const std::string prefix = text.substr(slash + 1);
    if (!address || prefix.empty() || prefix.size() > 2 || prefix.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    const int bits = std::stoi(prefix);
    if (bits > 32) return std::nullopt;
    return Cidr4{*address, bits};
}

bool is_cidr6(const std::string& text) {
    const auto slash = text.find('/');
    if (slash == std::string::npos) return false;
    unsigned char buffer[16];
    const std::string prefix = text.substr(slash + 1);
    return ::inet_pton(AF_INET6, text.substr(0, slash).c_str(), buffer) == 1 && !prefix.empty() && prefix.size() <= 3 &&
           prefix.find_first_not_of("0123456789") == std::string::npos && std::stoi(prefix) <= 128;
}

std::optional<std::string> not_a_network(const std::string& text) {
    const auto slash = text.find('/');
    unsigned char address[16] = {};
    const std::string host = slash == std::string::npos ? text : text.substr(0, slash);
    const bool v4 = ::inet_pton(AF_INET, host.c_str(), address) == 1;
    if (!v4 && ::inet_pton(AF_INET6, host.c_str(), address) != 1) return "invalid CIDR address: " + text;
    if (v4 ? !cidr4(text) : !is_cidr6(text)) return "invalid CIDR address: " + text;
    const int bits = std::stoi(text.substr(slash + 1));
    const int size = v4 ? 4 : 16;
    for (int byte = 0; byte < size; ++byte) {
        const int keep = std::clamp(bits - byte * 8, 0, 8);
        const auto host_bits = static_cast<unsigned char>(0xFF >> keep);
        if ((address[byte] & host_bits) != 0) return "Not an IP network address \"" + text + "\"";
    }
    return std::nullopt;
}

bool network_contains(const std::string& cidr, const std::string& ip) {
    const auto slash = cidr.find('/');
    if (slash == std::string::npos || not_a_network(cidr)) return false;
    unsigned char net[16] = {};
    unsigned char address[16] = {};
    const int family = cidr.find(':') == std::string::npos ? AF_INET : AF_INET6;
    if (::inet_pton(family, cidr.substr(0, slash).c_str(), net) != 1 || ::inet_pton(family, ip.c_str(), address) != 1)
        return false;
    const int bits = std::stoi(cidr.substr(slash + 1));
    const int size = family == AF_INET ? 4 : 16;
    for (int byte = 0; byte < size; ++byte) {
        const int keep = std::clamp(bits - byte * 8, 0, 8);
        const auto mask = static_cast<unsigned char>(0xFF00 >> keep);
        if ((net[byte] & mask) != (address[byte] & mask)) return false;
    }
    return true;
}

}  // namespace microcloud::host::formation
