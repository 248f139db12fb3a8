// plugins/ovn/ovn_plan_rules.cpp - each rule adds problems that name the field, the value and what
// would be accepted. What the host's preseed rules check already (all-or-none uplinks and
// underlays, IP and CIDR syntax, the gateway, the range's shape, the dns servers) is not repeated.
#include "ovn_plan_rules.hpp"

#include "member_network.hpp"

#include <microcloud/sdk/problems.hpp>

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

namespace microcloud::plugins::ovn {

using sdk::Json;

namespace {

using sdk::Problems;

// The string at `key` of `object`, or "" when absent or not text.
std::string text_at(const Json& object, const char* key) {
    if (!object.is_object()) return {};
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

// The value at `key` of `object` when it has type `want` (object, array), else an empty one.
Json object_at(const Json& object, const char* key) {
    if (!object.is_object()) return Json::object();
    auto it = object.find(key);
    return it != object.end() && it->is_object() ? *it : Json::object();
}
Json array_at(const Json& object, const char* key) {
    if (!object.is_object()) return Json::array();
    auto it = object.find(key);
    return it != object.end() && it->is_array() ? *it : Json::array();
}

std::vector<std::string> strings_at(const Json& object, const char* key) {
    std::vector<std::string> out;
    for (const Json& item : array_at(object, key))
        if (item.is_string()) out.push_back(item.get<std::string>());
    return out;
}

std::string joined(const std::vector<std::string>& items, const char* separator = ", ") {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
    return out.empty() ? "none" : out;
}

// The preseed's systems[] entries that name a system.
std::vector<Json> preseed_systems(const Json& input) {
    std::vector<Json> out;
    for (const Json& system : array_at(object_at(input, "preseed"), "systems"))
        if (!text_at(system, "name").empty()) out.push_back(system);
    return out;
}

// The systems[] entry named `member`, or an empty object.
Json system_of(const Json& input, const std::string& member) {
    for (const Json& system : preseed_systems(input))
        if (text_at(system, "name") == member) return system;
    return Json::object();
}

// The ovn section: the hook's config, or the preseed's own when the config is empty.
Json ovn_section(const Json& input) {
    Json config = object_at(input, "config");
    return config.empty() ? object_at(object_at(input, "preseed"), "ovn") : config;
}

// ---- addresses ----

// The 4 or 16 bytes of an IP address in text, or an empty vector.
std::vector<unsigned char> ip_bytes(const std::string& text) {
    std::array<unsigned char, 16> buffer{};
    if (::inet_pton(AF_INET, text.c_str(), buffer.data()) == 1) return {buffer.begin(), buffer.begin() + 4};
    if (::inet_pton(AF_INET6, text.c_str(), buffer.data()) == 1) return {buffer.begin(), buffer.end()};
    return {};
}

bool same_ip(const std::string& a, const std::string& b) {
    const auto x = ip_bytes(a);
    return x.empty() ? a == b : x == ip_bytes(b);
}

std::optional<std::uint32_t> ipv4(const std::string& text) {
    in_addr address{};
    if (::inet_pton(AF_INET, text.c_str(), &address) != 1) return std::nullopt;
    return ntohl(address.s_addr);
}

// An IPv4 range "a-b" as numbers; nullopt when it is not that shape.
std::optional<std::pair<std::uint32_t, std::uint32_t>> ipv4_range(const std::string& text) {
    const auto dash = text.find('-');
    if (dash == std::string::npos) return std::nullopt;
    const auto first = ipv4(text.substr(0, dash));
    const auto last = ipv4(text.substr(dash + 1));
    if (!first || !last) return std::nullopt;
    return std::make_pair(*first, *last);
}

// ---- the rules ----

bool has_uplink_interface(const Json& input) {
    const auto systems = preseed_systems(input);
    return std::any_of(systems.begin(), systems.end(),
                       [](const Json& s) { return !text_at(s, "ovn_uplink_interface").empty(); });
}

// OVN installed and usable on `member`, or its discovery's failure.
void check_presence(Problems& out, const std::string& member, const Json& report) {
    const std::string field = "systems[" + member + "]";
    const std::string remedy = "or leave OVN out with --disable-plugin ovn on every member";
    if (report.contains("error")) {
        std::string message = text_at(object_at(report, "error"), "message");
        if (message.empty()) message = report["error"].is_string() ? report["error"].get<std::string>() : "no reason";
        out.error(field, "OVN's discovery failed on " + member + ": " + message + "; fix that, " + remedy);
        return;
    }
    auto present = report.find("present");
    if (present != report.end() && present->is_boolean() && present->get<bool>()) return;
    std::string reasons = joined(strings_at(report, "reasons"), " ");
    if (reasons == "none") reasons = "its discovery report gives no reason";
    while (!reasons.empty() && reasons.back() == '.') reasons.pop_back();
    out.error(field, "OVN is not usable on " + member + ": " + reasons +
                         "; install openvswitch-switch, ovn-central and ovn-host there, " + remedy);
}

// Open vSwitch's two daemons, which an OVN join on `member` needs running (when the report says).
void check_open_vswitch(Problems& out, const std::string& member, const Json& report) {
    const Json daemons = object_at(report, "daemons");
    std::vector<std::string> stopped;
    for (const char* name : {"ovsdb-server", "ovs-vswitchd"}) {
        const Json daemon = object_at(daemons, name);
        const auto running = daemon.find("running");
        if (running == daemon.end() || !running->is_boolean() || running->get<bool>()) continue;
        stopped.push_back(std::string(name) + " (pid file " + text_at(daemon, "pidfile") + ")");
    }
    if (stopped.empty()) return;
    out.error("systems[" + member + "]", "Open vSwitch is not running on " + member + ": no live " + joined(stopped) +
                                             "; start Open vSwitch there (the openvswitch-switch service), or leave "
                                             "OVN out with --disable-plugin ovn on every member");
}

std::vector<std::string> interface_names(const Json& interfaces) {
    std::vector<std::string> names;
    for (const Json& interface : interfaces) names.push_back(text_at(interface, "name"));
    return names;
}

void check_uplink(Problems& out, const std::string& member, const Json& report, const Json& system) {
    const std::string name = text_at(system, "ovn_uplink_interface");
    if (name.empty()) return;
    const std::string field = "systems[" + member + "].ovn_uplink_interface";
    const std::string subject = "Interface \"" + name + "\" on " + member;
    const Json interfaces = array_at(report, "interfaces");
    auto it =
        std::find_if(interfaces.begin(), interfaces.end(), [&](const Json& i) { return text_at(i, "name") == name; });
    if (it == interfaces.end()) {
        out.error(field, "Interface \"" + name + "\" was not found on " + member +
                             "; its interfaces: " + joined(interface_names(interfaces)));
        return;
    }
    const std::string rule = std::string("; ") + kUplinkRuleText;
    switch (uplink_flaw(*it)) {
        case UplinkFlaw::none:
            return;
        case UplinkFlaw::wrong_type:
            out.error(field, subject + " is " + interface_kind_text(text_at(*it, "type")) + "; " + kUplinkTypeText);
            return;
        case UplinkFlaw::not_up: {
            const std::string state = text_at(*it, "state");
            out.error(field,
                      subject + (state == "down" ? " is down" : " is not up (its state is \"" + state + "\")") + rule);
            return;
        }
        case UplinkFlaw::enslaved:
            out.error(field, subject + " belongs to " + text_at(*it, "master") + rule);
            return;
        case UplinkFlaw::global_address:
            out.error(field, subject + " has a global address" + rule);
            return;
    }
}

void check_underlay(Problems& out, const std::string& member, const Json& report, const Json& system) {
    const std::string ip = text_at(system, "ovn_underlay_ip");
    if (ip.empty()) return;
    const auto addresses = strings_at(report, "addresses");
    if (std::any_of(addresses.begin(), addresses.end(), [&](const std::string& a) { return same_ip(a, ip); })) return;
    out.error("systems[" + member + "].ovn_underlay_ip", "No available interface found for OVN underlay IP \"" + ip +
                                                             "\" on " + member +
                                                             "; its global addresses: " + joined(addresses));
}

// The range must leave out every member's MicroCloud address and every underlay IP (the host
// checked its shape, the subnet, the gateway and the preseed's own system addresses).
void check_range(Problems& out, const Json& input) {
    const Json ovn = ovn_section(input);
    const std::string text = text_at(ovn, "ipv4_range");
    const auto range = ipv4_range(text);
    if (!range) return;
    const auto inside = [&](const std::string& ip) {
        const auto address = ipv4(ip);
        return address && *address >= range->first && *address <= range->second;
    };
    const std::string accepted = "; choose a range inside the gateway's subnet " + text_at(ovn, "ipv4_gateway") +
                                 " that leaves out the gateway, the members' addresses and their OVN underlay IPs";
    const Json addresses = object_at(input, "addresses");
    for (const auto& [member, address] : addresses.items())
        if (address.is_string() && inside(address.get<std::string>()))
            out.error("ovn.ipv4_range", "Invalid IPv4 range \"" + text + "\": it includes " +
                                            address.get<std::string>() + ", the MicroCloud address of " + member +
                                            accepted);
    for (const Json& system : preseed_systems(input)) {
        const std::string underlay = text_at(system, "ovn_underlay_ip");
        if (inside(underlay))
            out.error("ovn.ipv4_range", "Invalid IPv4 range \"" + text + "\": it includes " + underlay +
                                            ", the OVN underlay IP of " + text_at(system, "name") + accepted);
    }
}

void warn_small_cluster(Problems& out, std::size_t members) {
    if (members == 0 || members >= 3) return;
    out.warn("members", "OVN's central databases are not highly available with " + std::to_string(members) +
                            (members == 1 ? " member" : " members") +
                            ": their raft cluster needs 3 members or more to survive the loss of one");
}

}  // namespace

std::optional<std::string> ovn_not_taking_part(const Json& input) {
    if (!ovn_section(input).empty() || has_uplink_interface(input)) return std::nullopt;
    return "the preseed gives OVN no uplink (no ovn section and no systems[].ovn_uplink_interface), so OVN takes "
           "no part";
}

Json ovn_plan_problems(const Json& input) {
    if (auto why = ovn_not_taking_part(input)) throw sdk::Error("unsupported", *why);
    Problems out;
    const Json reports = object_at(input, "discovery");
    const auto members = strings_at(input, "members");
    for (const std::string& member : members) {
        auto it = reports.find(member);
        if (it == reports.end() || !it->is_object()) continue;
        check_presence(out, member, *it);
        if (it->contains("error")) continue;  // nothing more is known; an absent OVN's network still is
        check_open_vswitch(out, member, *it);
        const Json system = system_of(input, member);
        check_uplink(out, member, *it, system);
        check_underlay(out, member, *it, system);
    }
    check_range(out, input);
    warn_small_cluster(out, members.size());
    return out.list;
}

}  // namespace microcloud::plugins::ovn
