// host/discovery/interface_choice.cpp - matching interface addresses from system facts against a subnet.
#include "discovery/interface_choice.hpp"

#include "common/error.hpp"
#include "system/addresses.hpp"

#include <arpa/inet.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace microcloud::host::discovery {

namespace {

struct Network {
    std::uint32_t base = 0;  // host byte order, masked
    std::uint32_t mask = 0;
};

std::optional<std::uint32_t> parse_ipv4(const std::string& text) {
    in_addr address{};
    if (inet_pton(AF_INET, text.c_str(), &address) != 1) return std::nullopt;
    return ntohl(address.s_addr);
}

std::uint32_t mask_of(int prefix) {
    return prefix == 0 ? 0u : ~std::uint32_t{0} << (32 - prefix);
}

Network parse_cidr(const std::string& cidr) {
    const auto invalid = [&](const std::string& why) {
        return Error("discovery_invalid_subnet", "Invalid lookup subnet " + cidr + ": " + why, {{"subnet", cidr}});
    };
    const auto slash = cidr.find('/');
    if (slash == std::string::npos) throw invalid("expected an IPv4 CIDR such as 10.0.0.0/24");
    const std::string address_text = cidr.substr(0, slash);
    const std::string prefix_text = cidr.substr(slash + 1);
    if (address_text.find(':') != std::string::npos)
        throw invalid("discovery uses IPv4 multicast, give an IPv4 subnet");
    const auto address = parse_ipv4(address_text);
    if (!address) throw invalid(address_text + " is not an IPv4 address");
    if (prefix_text.empty() || prefix_text.size() > 2 ||
        prefix_text.find_first_not_of("0123456789") != std::string::npos || std::stoi(prefix_text) > 32)
        throw invalid("the prefix length must be 0 to 32");
    const std::uint32_t mask = mask_of(std::stoi(prefix_text));
    return Network{*address & mask, mask};
}

using Candidate = Ipv4Address;

}  // namespace

std::vector<Ipv4Address> ipv4_addresses(const nlohmann::json& interfaces) {
    std::vector<Ipv4Address> out;
    for (const auto& interface : interfaces) {
        const std::string name = interface.value("name", "");
        const auto addresses = interface.find("addresses");
        if (addresses == interface.end() || !addresses->is_array()) continue;
        for (const auto& address : *addresses) {
            if (address.value("family", "") != "inet") continue;
            out.push_back({name, address.value("address", ""), address.value("prefix", 0)});
        }
    }
    return out;
}

namespace {

ChosenInterface chosen(const Candidate& candidate) {
    return ChosenInterface{{candidate.interface, candidate.address},
                           candidate.prefix,
                           system::ipv4_network(candidate.address, candidate.prefix)};
}

}  // namespace

ChosenInterface interface_for_subnet(const nlohmann::json& interfaces, const std::string& cidr) {
    const Network network = parse_cidr(cidr);
    const std::vector<Candidate> candidates = ipv4_addresses(interfaces);
    for (const auto& candidate : candidates) {
        const auto address = parse_ipv4(candidate.address);
        if (address && (*address & network.mask) == network.base) return chosen(candidate);
    }
    std::string seen;
    nlohmann::json seen_json = nlohmann::json::array();
    for (const auto& candidate : candidates) {
        const std::string entry = candidate.address + "/" + std::to_string(candidate.prefix);
        seen += (seen.empty() ? "" : ", ") + candidate.interface + " " + entry;
        seen_json.push_back({{"interface", candidate.interface}, {"address", entry}});
    }
    throw Error("discovery_no_interface_for_subnet",
                "No interface has an address in lookup subnet " + cidr +
                    " (IPv4 addresses seen: " + (seen.empty() ? "none" : seen) + ")",
                {{"subnet", cidr}, {"addresses", seen_json}});
}

ChosenInterface interface_by_name(const nlohmann::json& interfaces, const std::string& name) {
    bool found = false;
    for (const auto& interface : interfaces) found = found || interface.value("name", "") == name;
    if (!found)
        throw Error("discovery_no_such_interface", "Discovery interface " + name + " does not exist",
                    {{"interface", name}});
    for (const auto& candidate : ipv4_addresses(interfaces))
        if (candidate.interface == name) return chosen(candidate);
    throw Error("discovery_interface_without_ipv4",
                "Discovery interface " + name + " has no IPv4 address to multicast from", {{"interface", name}});
}

}  // namespace microcloud::host::discovery
