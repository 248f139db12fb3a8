// plugins/lxd/desired_state.cpp - the plan's pools, networks and profile as LXD requests.
#include "desired_state.hpp"

#include "plan_input.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <utility>

namespace microcloud::plugins::lxd {

using sdk::Json;

namespace {

bool has(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

std::vector<std::string> members_of(const Json& input) {
    return input.value("members", std::vector<std::string>{});
}

Json published(const Json& input, const char* provider) {
    const Json all = input.value("published", Json::object());
    auto it = all.find(provider);
    return it != all.end() && it->is_object() && !it->empty() ? *it : Json();
}

Json local_member_keys(const Json& input, const std::string& member, const std::string& driver) {
    Json keys = Json::object();
    const Json disk = local_disk(input, member);
    if (driver == "dir" || disk.empty()) return keys;
    keys["source"] = disk.value("path", "");
    if (disk.value("wipe", false)) keys["source.wipe"] = "true";
    return keys;
}

Entity local_pool(const Json& input, const LxdFacts& facts) {
    Entity pool{"storage-pool", "local", local_driver(input, facts)};
    for (const std::string& member : members_of(input))
        pool.members[member] = local_member_keys(input, member, pool.type);
    return pool;
}

// The Ceph pool behind `remote`: the one the Ceph provider published, else lxd_remote.
std::string remote_source(const Json& input) {
    const Json ceph = published(input, "ceph");
    return ceph.is_null() ? "lxd_remote" : ceph.value("pool", "lxd_remote");
}

Entity remote_pool(const Json& input, const Json& ceph) {
    Entity pool{"storage-pool", "remote", "ceph"};
    pool.config = {{"ceph.osd.pool_name", remote_source(input)}, {"ceph.rbd.du", "false"}};
    if (ceph.contains("cluster_name")) pool.config["ceph.cluster_name"] = ceph["cluster_name"];
    if (ceph.contains("user")) pool.config["ceph.user.name"] = ceph["user"];
    for (const std::string& member : members_of(input)) pool.members[member] = {{"source", remote_source(input)}};
    return pool;
}

std::optional<std::uint32_t> ipv4_of(const std::string& text) {
    in_addr parsed{};
    if (::inet_pton(AF_INET, text.substr(0, text.find('/')).c_str(), &parsed) != 1) return std::nullopt;
    return ntohl(parsed.s_addr);
}

// The IPv4 subnets the plan already uses: the members' addresses (as /24s, the smallest LAN a
// member could sit in) and the uplink gateway's subnet.
std::vector<std::pair<std::uint32_t, std::uint32_t>> used_subnets(const Json& input) {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> used;  // (network, mask)
    const Json addresses = input.value("addresses", Json::object());
    for (const auto& [member, address] : addresses.items())
        if (const auto ip = address.is_string() ? ipv4_of(address.get<std::string>()) : std::nullopt)
            used.emplace_back(*ip & 0xffffff00u, 0xffffff00u);
    const Json ovn = input.value("preseed", Json::object()).value("ovn", Json::object());
    const std::string gateway = ovn.is_object() ? ovn.value("ipv4_gateway", "") : "";
    if (const auto ip = ipv4_of(gateway); ip && gateway.find('/') != std::string::npos) {
        const int prefix = std::atoi(gateway.c_str() + gateway.find('/') + 1);
        const std::uint32_t mask = prefix <= 0 ? 0 : prefix >= 32 ? 0xffffffffu : ~((1u << (32 - prefix)) - 1);
        used.emplace_back(*ip & mask, mask);
    }
    return used;
}

}  // namespace

std::string ovn_internal_subnet(const Json& input) {
    const auto used = used_subnets(input);
    for (std::uint32_t third = 0; third < 256; ++third) {
        const std::uint32_t candidate = (10u << 24) | (218u << 16) | (third << 8);
        const bool overlaps = std::any_of(used.begin(), used.end(), [&](const auto& subnet) {
            const std::uint32_t mask = subnet.second & 0xffffff00u;  // the wider of the two masks
            return (candidate & mask) == (subnet.first & mask);
        });
        if (!overlaps) return "10.218." + std::to_string(third) + ".1/24";
    }
    throw sdk::Error("invalid_plan", "no free 10.218.x.0/24 subnet is left for the OVN network \"default\"");
}

namespace {

void ovn_networks(const Json& input, const Json& ovn, const LxdFacts& facts, DesiredState& state) {
    const Json settings = input.value("preseed", Json::object()).value("ovn", Json::object());
    Entity uplink{"network", "UPLINK", "physical"};
    if (settings.contains("ipv4_gateway")) uplink.config["ipv4.gateway"] = settings["ipv4_gateway"];
    if (settings.contains("ipv4_range")) uplink.config["ipv4.ovn.ranges"] = settings["ipv4_range"];
    if (settings.contains("ipv6_gateway")) uplink.config["ipv6.gateway"] = settings["ipv6_gateway"];
    if (settings.contains("dns_servers")) uplink.config["dns.nameservers"] = settings["dns_servers"];
    for (const std::string& member : members_of(input))
        uplink.members[member] = {{"parent", system_of(input, member).value("ovn_uplink_interface", "")}};
    state.entities.push_back(uplink);
    Entity network{"network", "default", "ovn"};
    network.config = {{"network", "UPLINK"}, {"ipv4.address", ovn_internal_subnet(input)}, {"ipv4.nat", "true"},
                      {"ipv6.address", "none"}};
    network.per_member = false;
    state.entities.push_back(network);
    // What the OVN provider published: the NB databases and, for ssl: ones, LXD's TLS client files
    // (as server keys where LXD has them; LXD 5.0 reads files that each member's join wrote).
    if (ovn.contains("northbound_connection"))
        state.server_config["network.ovn.northbound_connection"] = ovn["northbound_connection"];
    if (!facts.ovn_ssl_config) return;
    for (const auto& [published_key, server_key] :
         {std::pair{"ca_cert", "network.ovn.ca_cert"}, std::pair{"client_cert", "network.ovn.client_cert"},
          std::pair{"client_key", "network.ovn.client_key"}})
        if (ovn.contains(published_key)) state.server_config[server_key] = ovn[published_key];
}

void fan_network(const Json& input, const Json& fan, DesiredState& state) {
    Entity bridge{"network", "lxdfan0", "bridge"};
    bridge.config = {{"bridge.mode", "fan"}};
    if (fan.contains("underlay_subnet")) bridge.config["fan.underlay_subnet"] = fan["underlay_subnet"];
    for (const std::string& member : members_of(input)) bridge.members[member] = Json::object();
    state.entities.push_back(bridge);
}

}  // namespace

std::string local_driver(const Json& input, const LxdFacts& facts) {
    const Json config = input.value("config", Json::object());
    if (config.is_object() && config.contains("local_driver")) return config.value("local_driver", "");
    if (facts.pools.contains("local")) return facts.pools.value("local", "");
    const std::vector<std::string> members = members_of(input);
    const bool disks_everywhere = !members.empty() && std::all_of(members.begin(), members.end(), [&](const auto& m) {
        return !local_disk(input, m).empty();
    });
    for (const char* driver : {"zfs", "btrfs", "lvm"})
        if (has(facts.drivers, driver) && (disks_everywhere || std::string(driver) == "zfs")) return driver;
    return "dir";
}

DesiredState desired_state(const Json& input, const LxdFacts& facts) {
    DesiredState state;
    state.entities.push_back(local_pool(input, facts));
    std::string root_pool = "local";
    if (const Json ceph = published(input, "ceph"); !ceph.is_null()) {
        state.entities.push_back(remote_pool(input, ceph));
        root_pool = "remote";
    }
    std::string network;
    if (const Json ovn = published(input, "ovn"); !ovn.is_null()) {
        ovn_networks(input, ovn, facts, state);
        network = "default";
    } else if (const Json fan = published(input, "fan"); !fan.is_null()) {
        fan_network(input, fan, state);
        network = "lxdfan0";
    }
    state.profile_devices["root"] = {{"type", "disk"}, {"path", "/"}, {"pool", root_pool}};
    if (!network.empty()) state.profile_devices["eth0"] = {{"type", "nic"}, {"name", "eth0"}, {"network", network}};
    return state;
}

Json member_config_for(const Json& input, const std::string& member, const Json& existing) {
    Json out = Json::array();
    const Json pools = existing.value("pools", Json::object());
    for (const auto& [name, driver] : pools.items()) {
        Json keys = Json::object();
        if (name == "local") keys = local_member_keys(input, member, driver.get<std::string>());
        if (name == "remote") keys = {{"source", remote_source(input)}};
        for (const auto& [key, value] : keys.items())
            out.push_back({{"entity", "storage-pool"}, {"name", name}, {"key", key}, {"value", value}});
    }
    const Json networks = existing.value("networks", Json::array());
    if (std::find(networks.begin(), networks.end(), Json("UPLINK")) != networks.end())
        out.push_back({{"entity", "network"},
                       {"name", "UPLINK"},
                       {"key", "parent"},
                       {"value", system_of(input, member).value("ovn_uplink_interface", "")}});
    return out;
}

}  // namespace microcloud::plugins::lxd
