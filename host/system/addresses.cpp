// host/system/addresses.cpp - reading interface addresses with getifaddrs() and classifying them.
#include "system/addresses.hpp"

#include "common/error.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>

namespace microcloud::host::system {

namespace {

struct IfaddrsDeleter {
    void operator()(ifaddrs* list) const noexcept { freeifaddrs(list); }
};

int prefix_length(const unsigned char* mask, std::size_t bytes) {
    int bits = 0;
    for (std::size_t i = 0; i < bytes; ++i) bits += std::popcount(static_cast<unsigned>(mask[i]));
    return bits;
}

std::string without_label(const char* name) {
    std::string text(name);
    return text.substr(0, text.find(':'));
}

bool to_address(const ifaddrs& entry, InterfaceAddress& out) {
    const int family = entry.ifa_addr->sa_family;
    char text[INET6_ADDRSTRLEN] = {};
    if (family == AF_INET) {
        const auto* addr = reinterpret_cast<const sockaddr_in*>(entry.ifa_addr);
        inet_ntop(AF_INET, &addr->sin_addr, text, sizeof text);
        out.family = "inet";
        if (entry.ifa_netmask) {
            const auto* mask = reinterpret_cast<const sockaddr_in*>(entry.ifa_netmask);
            out.prefix = prefix_length(reinterpret_cast<const unsigned char*>(&mask->sin_addr), 4);
        }
    } else if (family == AF_INET6) {
        const auto* addr = reinterpret_cast<const sockaddr_in6*>(entry.ifa_addr);
        inet_ntop(AF_INET6, &addr->sin6_addr, text, sizeof text);
        out.family = "inet6";
        if (entry.ifa_netmask) {
            const auto* mask = reinterpret_cast<const sockaddr_in6*>(entry.ifa_netmask);
            out.prefix = prefix_length(mask->sin6_addr.s6_addr, 16);
        }
    } else {
        return false;
    }
    out.interface = without_label(entry.ifa_name);
    out.address = text;
    out.scope = address_scope(out.family, out.address);
    return true;
}

}  // namespace

std::vector<InterfaceAddress> local_addresses() {
    ifaddrs* raw = nullptr;
    if (getifaddrs(&raw) != 0)
        throw Error("system_facts_unreadable",
                    std::string("Cannot list interface addresses: getifaddrs() failed: ") + std::strerror(errno));
    std::unique_ptr<ifaddrs, IfaddrsDeleter> list(raw);
    std::vector<InterfaceAddress> out;
    for (const ifaddrs* entry = list.get(); entry; entry = entry->ifa_next) {
        if (!entry->ifa_addr || !entry->ifa_name) continue;
        InterfaceAddress address;
        if (to_address(*entry, address)) out.push_back(std::move(address));
    }
    return out;
}

std::string address_scope(const std::string& family, const std::string& address) {
    if (family == "inet") {
        in_addr addr{};
        if (inet_pton(AF_INET, address.c_str(), &addr) != 1) return "global";
        const std::uint32_t value = ntohl(addr.s_addr);
        if ((value >> 24) == 127) return "host";
        if ((value >> 16) == 0xa9fe) return "link";  // 169.254.0.0/16
        return "global";
    }
    in6_addr addr{};
    if (inet_pton(AF_INET6, address.c_str(), &addr) != 1) return "global";
    if (IN6_IS_ADDR_LOOPBACK(&addr)) return "host";
    if (IN6_IS_ADDR_LINKLOCAL(&addr)) return "link";
    return "global";
}

std::string ipv4_network(const std::string& address, int prefix) {
    in_addr addr{};
    if (prefix < 0 || prefix > 32 || inet_pton(AF_INET, address.c_str(), &addr) != 1) return {};
    const std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
    in_addr network{};
    network.s_addr = htonl(ntohl(addr.s_addr) & mask);
    char text[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &network, text, sizeof text);
    return std::string(text) + "/" + std::to_string(prefix);
}

}  // namespace microcloud::host::system
