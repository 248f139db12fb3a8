// plugins/ceph/cidr.cpp - subnet arithmetic over inet_pton/inet_ntop.
#include "cidr.hpp"

#include <arpa/inet.h>

#include <cstdlib>

namespace microcloud::plugins::ceph {
namespace {

bool parse_address(const std::string& text, bool& v6, std::array<std::uint8_t, 16>& bytes) {
    bytes.fill(0);
    v6 = text.find(':') != std::string::npos;
    return ::inet_pton(v6 ? AF_INET6 : AF_INET, text.c_str(), bytes.data()) == 1;
}

void clear_host_bits(std::array<std::uint8_t, 16>& bytes, int prefix, bool v6) {
    const int total = v6 ? 16 : 4;
    for (int i = 0; i < total; ++i) {
        const int keep = std::max(0, std::min(8, prefix - i * 8));
        bytes[static_cast<std::size_t>(i)] &= static_cast<std::uint8_t>(keep == 0 ? 0 : 0xff << (8 - keep));
    }
}

}  // namespace

std::optional<Cidr> subnet_of(const std::string& address, int prefix) {
    Cidr cidr;
    if (!parse_address(address, cidr.v6, cidr.bytes)) return std::nullopt;
    if (prefix < 0 || prefix > (cidr.v6 ? 128 : 32)) return std::nullopt;
    cidr.prefix = prefix;
    clear_host_bits(cidr.bytes, prefix, cidr.v6);
    return cidr;
}

std::optional<Cidr> parse_cidr(const std::string& text) {
    const auto slash = text.find('/');
    if (slash == std::string::npos || slash + 1 >= text.size()) return std::nullopt;
    const std::string length = text.substr(slash + 1);
    if (length.find_first_not_of("0123456789") != std::string::npos || length.size() > 3) return std::nullopt;
    return subnet_of(text.substr(0, slash), std::atoi(length.c_str()));
}

bool Cidr::contains(const std::string& address) const {
    const auto other = subnet_of(address, prefix);
    return other && other->v6 == v6 && other->bytes == bytes;
}

std::string Cidr::text() const {
    char buffer[INET6_ADDRSTRLEN] = {};
    ::inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), buffer, sizeof buffer);
    return std::string(buffer) + "/" + std::to_string(prefix);
}

}  // namespace microcloud::plugins::ceph
