// host/formation/preseed_rules.cpp - upstream's preseed rules, checked in upstream's order, each
// failure carrying upstream's message and the field it concerns.
#include "common/error.hpp"
#include "formation/address_rules.hpp"
#include "formation/disk_selection.hpp"
#include "formation/preseed.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <sstream>
#include <string>

namespace microcloud::host::formation {
namespace {

[[noreturn]] void rule(const std::string& message, const std::string& field) {
    throw Error("invalid_preseed", message, {{"field", field}});
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
    // Upstream's Preseed.validate, rule for rule and in its order: the first broken rule is the
    // one upstream would name, with upstream's words.
    if (p.systems.empty()) rule("No systems given", "systems");
    if (p.initiator.empty() && p.initiator_address.empty()) rule("Missing initiator's name or address", "initiator");
    if (!p.initiator.empty() && !p.initiator_address.empty())
        rule("Cannot provide both the initiator's name and address", "initiator_address");
    if (!p.initiator.empty() && p.lookup_subnet.empty()) rule("Missing lookup subnet", "lookup_subnet");
    if (!p.initiator_address.empty() && !p.lookup_subnet.empty())
        rule("Cannot provide both the initiator's address and lookup subnet", "lookup_subnet");
    // Any non-empty text (the four-word rule is the interactive prompt's), and only when others join.
    if (p.systems.size() > 1 && p.session_passphrase.empty())
        rule("Missing session passphrase", "session_passphrase");

    // Upstream's "bootstrap": the initiator is one of the listed systems (by name or address).
    const bool bootstrap = std::any_of(p.systems.begin(), p.systems.end(), [&](const PreseedSystem& s) {
        return s.name == p.initiator || (!s.address.empty() && s.address == p.initiator_address);
    });
    std::set<std::string> names;
    bool local_listed = false;
    for (std::size_t i = 0; i < p.systems.size(); ++i) {
        const PreseedSystem& system = p.systems[i];
        const std::string field = "systems[" + std::to_string(i) + "]";
        const std::string quoted = "\"" + system.name + "\"";
        if (system.name.empty()) rule("Missing system name", field + ".name");
        if (!system.address.empty() && !p.lookup_subnet.empty())
            rule("Cannot provide both the address for system " + quoted + " and the lookup subnet", field + ".address");
        if (system.address.empty() && !p.initiator_address.empty())
            rule("Missing address for system " + quoted + " when the initiator's address is set", field + ".address");
        if (!system.address.empty() && p.initiator_address.empty())
            rule("Missing the initiator's address as system " + quoted + " has an address", field + ".address");
        if (system.name == local.name) local_listed = true;
        if (!system.ovn_uplink_interface.empty() && p.ovn.ipv4_gateway.empty() && p.ovn.ipv6_gateway.empty() &&
            bootstrap)
            rule("Either the IPv4 or IPv6 gateway has to be set on the uplink network", "ovn");
        if (!system.ovn_underlay_ip.empty() && !is_ip(system.ovn_underlay_ip))
            rule("Invalid underlay IP \"" + system.ovn_underlay_ip + "\"", field + ".ovn_underlay_ip");
        if (!names.insert(system.name).second) rule("Duplicate system name " + quoted, field + ".name");
    }
    if (bootstrap && !local_listed)
        rule("Local MicroCloud must be included in the list of systems when initializing", "systems");

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

    const std::size_t ceph_disks = count([](const PreseedSystem& s) { return !s.ceph_disks.empty(); });
    const bool ceph_storage = ceph_disks > 0 || !p.ceph_filters.empty();
    if (!p.ceph.public_network.empty() && !ceph_storage)
        rule("Cannot specify a Ceph public network without Ceph storage disks", "ceph.public_network");
    if (!p.ceph.public_network.empty())
        if (const auto why = not_a_network(p.ceph.public_network))
            rule("Invalid Ceph public network subnet: " + *why, "ceph.public_network");
    if (!p.ceph.internal_network.empty() && !ceph_storage)
        rule("Cannot specify a Ceph internal network without Ceph storage disks", "ceph.internal_network");
    if (!p.ceph.internal_network.empty())
        if (const auto why = not_a_network(p.ceph.internal_network))
            rule("Invalid Ceph internal network subnet: " + *why, "ceph.internal_network");

    if (p.ovn.ipv4_gateway.empty() && !p.ovn.ipv4_range.empty())
        rule("Cannot specify IPv4 range without IPv4 gateway", "ovn.ipv4_range");
    if (!p.ovn.ipv4_gateway.empty()) {
        if (!cidr4(p.ovn.ipv4_gateway) && !is_cidr6(p.ovn.ipv4_gateway))
            rule("invalid CIDR address: " + p.ovn.ipv4_gateway, "ovn.ipv4_gateway");
        // (sic: upstream's words for a gateway without a range)
        if (p.ovn.ipv4_range.empty()) rule("Cannot specify IPv4 range without IPv4 gateway", "ovn.ipv4_range");
        const auto dash = p.ovn.ipv4_range.find('-');
        if (dash == std::string::npos || !is_ip(p.ovn.ipv4_range.substr(0, dash)) ||
            !is_ip(p.ovn.ipv4_range.substr(dash + 1)))
            rule("Invalid IPv4 range (must be of the form <ip>-<ip>)", "ovn.ipv4_range");
    }
    if (!p.ovn.ipv6_gateway.empty() && !cidr4(p.ovn.ipv6_gateway) && !is_cidr6(p.ovn.ipv6_gateway))
        rule("invalid CIDR address: " + p.ovn.ipv6_gateway, "ovn.ipv6_gateway");
    checked_filters(p);

    // Beyond upstream: what upstream would only find later, on the way (or never).
    if (!p.lookup_subnet.empty() && !cidr4(p.lookup_subnet) && !is_cidr6(p.lookup_subnet))
        rule("Invalid lookup subnet \"" + p.lookup_subnet + "\" (must be a subnet in CIDR form, e.g. 10.0.0.0/24)",
             "lookup_subnet");
    if (!p.initiator_address.empty() && !is_ip(p.initiator_address))
        rule("Invalid initiator address \"" + p.initiator_address + "\" (must be an IP address)", "initiator_address");
    for (std::size_t i = 0; i < p.systems.size(); ++i) {
        const PreseedSystem& system = p.systems[i];
        if (!system.address.empty() && !is_ip(system.address))
            rule("Invalid address \"" + system.address + "\" of system \"" + system.name + "\" (must be an IP address)",
                 "systems[" + std::to_string(i) + "].address");
    }
    check_uplink(p);
    for (const char* field : {"public_network", "internal_network"}) {
        const std::string& value =
            std::string(field) == "public_network" ? p.ceph.public_network : p.ceph.internal_network;
        const auto subnet = cidr4(value);
        if (subnet && subnet->prefix >= 32)
            rule("Invalid Ceph network subnet (must have more than one address)", std::string("ceph.") + field);
    }

    // Which part this machine plays.
    const bool by_name = !p.initiator.empty() && p.initiator == local.name;
    // By address: one of this machine's addresses, or (as upstream compares its listen address)
    // the address its own system entry gives, IPv6 included; compared as addresses, not text.
    const auto same_address = [](const std::string& a, const std::string& b) {
        unsigned char x[16] = {}, y[16] = {};
        const int family = a.find(':') == std::string::npos ? AF_INET : AF_INET6;
        return ::inet_pton(family, a.c_str(), x) == 1 && ::inet_pton(family, b.c_str(), y) == 1 &&
               std::equal(std::begin(x), std::end(x), std::begin(y));
    };
    const bool by_address =
        !p.initiator_address.empty() &&
        (std::any_of(local.addresses.begin(), local.addresses.end(),
                     [&](const std::string& a) { return same_address(a, p.initiator_address); }) ||
         std::any_of(p.systems.begin(), p.systems.end(), [&](const PreseedSystem& s) {
             return s.name == local.name && same_address(s.address, p.initiator_address);
         }));
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
