// host/formation/preseed_rules.cpp - upstream's preseed rules, checked in upstream's order, each
// failure carrying upstream's message and the field it concerns.
#include "common/error.hpp"
#include "formation/preseed.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <sstream>

namespace microcloud::host::formation {
namespace {

[[noreturn]] void rule(const std::string& message, const std::string& field) {
    throw Error("invalid_preseed", message, {{"field", field}});
}

std::optional<std::uint32_t> ipv4(const std::string& text) {
    in_addr address{};
    if (::inet_pton(AF_INET, text.c_str(), &address) != 1) return std::nullopt;
    return ntohl(address.s_addr);
}

bool is_ip(const std::string& text) {
    unsigned char buffer[16];
    return ::inet_pton(AF_INET, text.c_str(), buffer) == 1 || ::inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

struct Cidr4 {
    std::uint32_t address = 0;
    int prefix = 0;
    std::uint32_t mask() const { return prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix); }
    std::uint32_t network() const { return address & mask(); }
    std::uint32_t broadcast() const { return network() | ~mask(); }
    bool contains(std::uint32_t ip) const { return (ip & mask()) == network(); }
};

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

void check_uplink(const Preseed& p) {
    const auto& ovn = p.ovn;
    std::optional<Cidr4> gateway;
    if (!ovn.ipv4_gateway.empty()) {
        gateway = cidr4(ovn.ipv4_gateway);
        if (!gateway || gateway->prefix >= 31)
            rule(
                "Invalid IPv4 gateway \"" + ovn.ipv4_gateway + "\" (must be an address in CIDR form, e.g. 10.0.0.1/24)",
                "ovn.ipv4_gateway");
        if (gateway->address == gateway->network() || gateway->address == gateway->broadcast())
            rule("Invalid IPv4 gateway \"" + ovn.ipv4_gateway +
                     "\": it is the subnet's network or broadcast address, "
                     "not a host address",
                 "ovn.ipv4_gateway");
    }
    if (!ovn.ipv6_gateway.empty() && !is_cidr6(ovn.ipv6_gateway))
        rule("Invalid IPv6 gateway \"" + ovn.ipv6_gateway + "\" (must be an address in CIDR form, e.g. fd00::1/64)",
             "ovn.ipv6_gateway");
    if (!ovn.ipv4_range.empty()) {
        if (!gateway) rule("Cannot specify IPv4 range without IPv4 gateway", "ovn.ipv4_range");
        const auto dash = ovn.ipv4_range.find('-');
        const auto first = dash == std::string::npos ? std::nullopt : ipv4(ovn.ipv4_range.substr(0, dash));
        const auto last = dash == std::string::npos ? std::nullopt : ipv4(ovn.ipv4_range.substr(dash + 1));
        if (!first || !last) rule("Invalid IPv4 range (must be of the form <ip>-<ip>)", "ovn.ipv4_range");
        if (*first > *last)
            rule("Invalid IPv4 range \"" + ovn.ipv4_range + "\": the first address comes after the last",
                 "ovn.ipv4_range");
        if (!gateway->contains(*first) || !gateway->contains(*last))
            rule("Invalid IPv4 range \"" + ovn.ipv4_range + "\": it must lie inside the gateway's subnet " +
                     ovn.ipv4_gateway,
                 "ovn.ipv4_range");
        if (gateway->address >= *first && gateway->address <= *last)
            rule("Invalid IPv4 range \"" + ovn.ipv4_range + "\": it includes the gateway address", "ovn.ipv4_range");
        for (const PreseedSystem& system : p.systems) {
            const auto address = ipv4(system.address);
            if (address && *address >= *first && *address <= *last)
                rule("Invalid IPv4 range \"" + ovn.ipv4_range + "\": it includes the address of system \"" +
                         system.name + "\"",
                     "ovn.ipv4_range");
        }
    }
    if (!ovn.dns_servers.empty()) {
        std::stringstream list(ovn.dns_servers);
        std::string server;
        while (std::getline(list, server, ',')) {
            server.erase(0, server.find_first_not_of(' '));
            server.erase(server.find_last_not_of(' ') + 1);
            if (!is_ip(server)) rule("Invalid dns.nameservers", "ovn.dns_servers");
        }
    }
}

}  // namespace

PreseedRole validate_preseed(const Preseed& p, const LocalContext& local) {
    if (p.systems.empty()) rule("No systems given", "systems");
    if (p.initiator.empty() && p.initiator_address.empty()) rule("Missing initiator's name or address", "initiator");
    if (!p.initiator.empty() && !p.initiator_address.empty())
        rule("Cannot provide both the initiator's name and address", "initiator_address");
    if (!p.initiator_address.empty() && !p.lookup_subnet.empty())
        rule("Cannot provide both the initiator's address and lookup subnet", "lookup_subnet");
    if (p.initiator_address.empty() && p.lookup_subnet.empty()) rule("Missing lookup subnet", "lookup_subnet");
    if (!p.lookup_subnet.empty() && !cidr4(p.lookup_subnet) && !is_cidr6(p.lookup_subnet))
        rule("Invalid lookup subnet \"" + p.lookup_subnet + "\" (must be a subnet in CIDR form, e.g. 10.0.0.0/24)",
             "lookup_subnet");
    if (!p.initiator_address.empty() && !is_ip(p.initiator_address))
        rule("Invalid initiator address \"" + p.initiator_address + "\" (must be an IP address)", "initiator_address");
    // Any non-empty text (the four-word rule is the interactive prompt's), and only when others join.
    if (p.systems.size() > 1 && p.session_passphrase.empty())
        rule("Missing session passphrase", "session_passphrase");

    std::set<std::string> names;
    for (std::size_t i = 0; i < p.systems.size(); ++i) {
        const PreseedSystem& system = p.systems[i];
        const std::string field = "systems[" + std::to_string(i) + "]";
        if (system.name.empty()) rule("Missing system name", field + ".name");
        if (!names.insert(system.name).second) rule("Duplicate system name \"" + system.name + "\"", field + ".name");
        if (!system.address.empty() && !is_ip(system.address))
            rule("Invalid address \"" + system.address + "\" of system \"" + system.name + "\" (must be an IP address)",
                 field + ".address");
    }

    const auto count = [&](auto has) {
        return static_cast<std::size_t>(std::count_if(p.systems.begin(), p.systems.end(), has));
    };
    const std::size_t uplinks = count([](const PreseedSystem& s) { return !s.ovn_uplink_interface.empty(); });
    if (uplinks > 0 && uplinks < p.systems.size()) rule("Some systems are missing an uplink interface", "systems");
    const std::size_t underlays = count([](const PreseedSystem& s) { return !s.ovn_underlay_ip.empty(); });
    if (underlays > 0 && underlays < p.systems.size())
        rule("Some systems are missing an underlay interface", "systems");
    const std::size_t local_disks = count([](const PreseedSystem& s) { return s.local_disk.has_value(); });
    if (local_disks > 0 && local_disks < p.systems.size() && p.local_filters.empty())
        rule("Some systems are missing local storage disks", "systems");
    if (uplinks > 0 && p.ovn.ipv4_gateway.empty() && p.ovn.ipv6_gateway.empty())
        rule("Either the IPv4 or IPv6 gateway has to be set on the uplink network", "ovn");
    check_uplink(p);

    const std::size_t ceph_disks = count([](const PreseedSystem& s) { return !s.ceph_disks.empty(); });
    const bool ceph_storage = ceph_disks > 0 || !p.ceph_filters.empty();
    if (!p.ceph.public_network.empty() && !ceph_storage)
        rule("Cannot specify a Ceph public network without Ceph storage disks", "ceph.public_network");
    if (!p.ceph.internal_network.empty() && !ceph_storage)
        rule("Cannot specify a Ceph internal network without Ceph storage disks", "ceph.internal_network");
    for (const char* field : {"public_network", "internal_network"}) {
        const std::string& value =
            std::string(field) == "public_network" ? p.ceph.public_network : p.ceph.internal_network;
        if (value.empty()) continue;
        const auto subnet = cidr4(value);
        if ((!subnet && !is_cidr6(value)) || (subnet && subnet->prefix >= 32))
            rule("Invalid Ceph network subnet (must have more than one address)", std::string("ceph.") + field);
    }
    for (std::size_t i = 0; i < p.ceph_filters.size(); ++i) {
        if (p.ceph_filters[i].find_min < 1)
            rule("Remote storage filter cannot be defined with find_min less than 1",
                 "storage.ceph[" + std::to_string(i) + "].find_min");
    }

    // Which part this machine plays.
    const bool by_name = !p.initiator.empty() && p.initiator == local.name;
    const bool by_address = !p.initiator_address.empty() && std::find(local.addresses.begin(), local.addresses.end(),
                                                                      p.initiator_address) != local.addresses.end();
    const bool listed =
        std::any_of(p.systems.begin(), p.systems.end(), [&](const PreseedSystem& s) { return s.name == local.name; });
    if (by_name || by_address) {
        if (listed) {
            if (local.clustered)
                rule("System with name/address \"" + local.name + "\" is already clustered", "systems");
            return PreseedRole::initiator_bootstrap;
        }
        if (!local.clustered) rule("MicroCloud isn't yet initialized and cannot be the initiator", "initiator");
        return PreseedRole::initiator_add;
    }
    if (local.clustered) rule("MicroCloud is already initialized and can only be the initiator", "initiator");
    if (!listed)
        rule("This system (\"" + local.name + "\") is neither the initiator nor one of the systems listed", "systems");
    return PreseedRole::joiner;
}

}  // namespace microcloud::host::formation
