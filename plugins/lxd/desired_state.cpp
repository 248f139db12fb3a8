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
    if (!all.is_object()) return Json();
    auto it = all.find(provider);
    return it != all.end() && it->is_object() && !it->empty() ? *it : Json();
}

std::string text_of(const Json& object, const char* key) {
    if (!object.is_object()) return "";
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string listed(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
    return out;
}

// What a member's discover report says of its kernel's `module` (kernel_modules.hpp).
enum class Kernel { has, lacks, unknown };

Kernel kernel_of(const Json& input, const std::string& member, const char* module) {
    const Json discovery = input.value("discovery", Json::object());
    if (!discovery.is_object() || !discovery.contains(member) || !discovery[member].is_object()) return Kernel::unknown;
    const Json kernel = discovery[member].value("kernel", Json::object());
    if (!kernel.is_object() || !kernel.contains(module) || !kernel[module].is_boolean()) return Kernel::unknown;
    return kernel[module].get<bool>() ? Kernel::has : Kernel::lacks;
}

// Why not every member's kernel offers `module` ("" when all do): "the kernel of m1, m2 <lacking>;
// the kernel of m3 is unknown (...)". Unknown counts as lacking.
std::string kernels_lacking(const Json& input, const char* module, const std::string& lacking) {
    std::vector<std::string> lack;
    std::vector<std::string> unknown;
    for (const std::string& member : members_of(input)) {
        const Kernel kernel = kernel_of(input, member, module);
        if (kernel == Kernel::lacks) lack.push_back(member);
        if (kernel == Kernel::unknown) unknown.push_back(member);
    }
    std::string why;
    if (!lack.empty()) why = "the kernel of " + listed(lack) + " " + lacking;
    if (!unknown.empty())
        why += (why.empty() ? "" : "; ") + std::string("the kernel of ") + listed(unknown) +
               " is unknown (no kernel facts in its LXD discovery report)";
    return why;
}

// The members whose discover report says their kernel has no device-mapper (unknown: not listed).
std::vector<std::string> without_device_mapper(const Json& input) {
    std::vector<std::string> out;
    for (const std::string& member : members_of(input))
        if (kernel_of(input, member, "device_mapper") == Kernel::lacks) out.push_back(member);
    return out;
}

struct DriverChoice {
    std::string driver;
    std::string why;  ///< why the local disks go unused, when the choice is dir although members have disks
};

DriverChoice choose_local_driver(const Json& input, const LxdFacts& facts) {
    const Json config = input.value("config", Json::object());
    if (config.is_object() && config.contains("local_driver"))
        return {config.value("local_driver", ""), "plugins config lxd.local_driver chose it"};
    if (facts.pools.contains("local")) return {facts.pools.value("local", ""), "the existing pool \"local\" uses it"};
    const std::vector<std::string> members = members_of(input);
    const bool disks_everywhere = !members.empty() && std::all_of(members.begin(), members.end(), [&](const auto& m) {
        return !local_disk(input, m).empty();
    });
    const std::vector<std::string> no_dm = without_device_mapper(input);
    std::string why =
        disks_everywhere ? "LXD here offers none of zfs, btrfs, lvm" : "not every member has a local disk";
    for (const char* driver : {"zfs", "btrfs", "lvm"}) {
        if (!has(facts.drivers, driver) || (!disks_everywhere && std::string(driver) != "zfs")) continue;
        if (std::string(driver) == "lvm" && !no_dm.empty()) {
            why = "LXD's lvm needs the device-mapper, which the kernel of " + listed(no_dm) + " lacks";
            continue;
        }
        return {driver, ""};
    }
    return {"dir", why};
}

Entity local_pool(const Json& input, const LxdFacts& facts, std::vector<std::string>& notes) {
    const DriverChoice choice = choose_local_driver(input, facts);
    Entity pool{"storage-pool", "local", choice.driver};
    std::vector<std::string> unused;
    for (const std::string& member : members_of(input)) {
        pool.members[member] = local_member_keys(input, member, pool.type, facts);
        if (pool.type == "dir" && !local_disk(input, member).empty()) unused.push_back(member);
    }
    if (!unused.empty())
        notes.push_back("the local disks of " + listed(unused) + " are not used: pool \"local\" uses the dir driver (" +
                        choice.why + ")");
    return pool;
}

// The Ceph pool behind `remote`: the one the Ceph provider's configure published, else its join's,
// else lxd_remote.
std::string remote_source(const Json& input) {
    for (const char* provider : {"ceph.configure", "ceph"})
        if (const std::string pool = text_of(published(input, provider), "pool"); !pool.empty()) return pool;
    return "lxd_remote";
}

// The CephFS file system behind `remote-fs` ("" when the Ceph provider published none).
std::string remote_fs_source(const Json& input) {
    return text_of(published(input, "ceph.configure"), "cephfs");
}

Entity remote_pool(const Json& input, const Json& ceph) {
    Entity pool{"storage-pool", "remote", "ceph"};
    pool.config = {{"ceph.osd.pool_name", remote_source(input)}, {"ceph.rbd.du", "false"}};
    if (const std::string cluster = text_of(ceph, "cluster_name"); !cluster.empty())
        pool.config["ceph.cluster_name"] = cluster;
    if (const std::string user = text_of(ceph, "user"); !user.empty()) pool.config["ceph.user.name"] = user;
    for (const std::string& member : members_of(input)) pool.members[member] = {{"source", remote_source(input)}};
    // LXD marks a Ceph pool "pristine" when it finds no other LXD's placeholder in it, even one it
    // did not create, and then deletes the Ceph pool with `remote`. The Ceph provider owns it.
    pool.after_create = {{"volatile.pool.pristine", "false"}};
    return pool;
}

// `remote-fs` on the file system the Ceph provider made. LXD 5.0 knows source, cephfs.cluster_name,
// cephfs.user.name, cephfs.path, cephfs.fscache; the cephfs.create_missing/meta_pool/data_pool keys
// of later LXD (storage_cephfs_create_missing) are for a file system LXD creates, and LXD refuses
// them for one that exists, so they are never set.
Entity remote_fs_pool(const Json& input, const Json& ceph, const std::string& fs) {
    Entity pool{"storage-pool", "remote-fs", "cephfs"};
    if (const std::string cluster = text_of(ceph, "cluster_name"); !cluster.empty())
        pool.config["cephfs.cluster_name"] = cluster;
    if (const std::string user = text_of(ceph, "user"); !user.empty()) pool.config["cephfs.user.name"] = user;
    for (const std::string& member : members_of(input)) pool.members[member] = {{"source", fs}};
    return pool;
}

// `remote` and `remote-fs` as far as LXD and the members' kernels can use them; returns the pool
// of the profile's root disk.
std::string ceph_pools(const Json& input, const Json& ceph, const LxdFacts& facts, DesiredState& state) {
    std::string root = "local";
    if (!has(facts.drivers, "ceph")) {
        state.notes.push_back("pool \"remote\" not created: LXD here offers no ceph storage driver");
    } else {
        state.entities.push_back(remote_pool(input, ceph));
        const std::string why = kernels_lacking(input, "rbd", "cannot map RBD images (no rbd module)");
        if (why.empty())
            root = "remote";
        else
            state.notes.push_back("root disk stays on pool \"local\": " + why);
    }
    const std::string fs = remote_fs_source(input);
    if (fs.empty()) return root;
    if (!has(facts.drivers, "cephfs")) {
        state.notes.push_back("pool \"remote-fs\" not created: LXD here offers no cephfs storage driver");
        return root;
    }
    const std::string why = kernels_lacking(input, "ceph", "has no ceph filesystem (no ceph module)");
    if (why.empty())
        state.entities.push_back(remote_fs_pool(input, ceph, fs));
    else
        state.notes.push_back("pool \"remote-fs\" not created: " + why);
    return root;
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
    network.config = {{"network", "UPLINK"},
                      {"ipv4.address", ovn_internal_subnet(input)},
                      {"ipv4.nat", "true"},
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
    return choose_local_driver(input, facts).driver;
}

Json local_member_keys(const Json& input, const std::string& member, const std::string& driver, const LxdFacts& facts) {
    Json keys = Json::object();
    const Json disk = local_disk(input, member);
    if (driver == "dir" || disk.empty()) return keys;
    keys["source"] = disk.value("path", "");
    // LXD 5.0 refuses source.wipe ("may not be used as member-specific key"): the member's join
    // wipes the disk itself then (disk_to_wipe).
    if (disk.value("wipe", false) && facts.source_wipe) keys["source.wipe"] = "true";
    return keys;
}

std::optional<std::string> disk_to_wipe(const Json& input, const std::string& member, const std::string& driver,
                                        const LxdFacts& facts) {
    const Json disk = local_disk(input, member);
    if (disk.empty() || driver == "dir" || !disk.value("wipe", false) || facts.source_wipe) return std::nullopt;
    return disk.value("path", "");
}

DesiredState desired_state(const Json& input, const LxdFacts& facts) {
    DesiredState state;
    state.entities.push_back(local_pool(input, facts, state.notes));
    std::string root_pool = "local";
    if (const Json ceph = published(input, "ceph"); !ceph.is_null()) root_pool = ceph_pools(input, ceph, facts, state);
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

Json member_config_for(const Json& input, const std::string& member, const Json& existing, const LxdFacts& facts) {
    Json out = Json::array();
    const Json pools = existing.value("pools", Json::object());
    for (const auto& [name, driver] : pools.items()) {
        Json keys = Json::object();
        if (name == "local") keys = local_member_keys(input, member, driver.get<std::string>(), facts);
        if (name == "remote") keys = {{"source", remote_source(input)}};
        if (name == "remote-fs" && !remote_fs_source(input).empty()) keys = {{"source", remote_fs_source(input)}};
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
