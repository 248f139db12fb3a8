// plugins/ovn/member_network.cpp - the member's interfaces judged as OVN uplinks, and its global
// addresses, from the host's member facts.
#include "member_network.hpp"

#include <algorithm>

namespace microcloud::plugins::ovn {

using sdk::Json;

namespace {

// The string at `key` of `object`, or "" when absent or not text.
std::string text_at(const Json& object, const char* key) {
    if (!object.is_object()) return {};
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

bool flag_at(const Json& object, const char* key) {
    if (!object.is_object()) return false;
    auto it = object.find(key);
    return it != object.end() && it->is_boolean() && it->get<bool>();
}

bool is_uplink_type(const std::string& type) {
    return type == "physical" || type == "bridge" || type == "bond" || type == "vlan";
}

bool has_global_address(const Json& interface) {
    auto it = interface.find("global_addresses");
    return it != interface.end() && it->is_array() && !it->empty();
}

// The fact's global addresses, each with its prefix ("a.b.c.d/24") or plain.
std::vector<std::string> global_addresses(const Json& fact, bool with_prefix) {
    std::vector<std::string> out;
    auto list = fact.find("addresses");
    if (list == fact.end() || !list->is_array()) return out;
    for (const Json& address : *list) {
        if (text_at(address, "scope") != "global") continue;
        const std::string ip = text_at(address, "address");
        if (ip.empty()) continue;
        auto prefix = address.find("prefix");
        const bool has_prefix = prefix != address.end() && prefix->is_number_integer();
        out.push_back(with_prefix && has_prefix ? ip + "/" + std::to_string(prefix->get<int>()) : ip);
    }
    return out;
}

}  // namespace

UplinkFlaw uplink_flaw(const Json& interface) {
    const bool ovs_bridge = flag_at(interface, "ovs_bridge");
    const std::string type = text_at(interface, "type");
    const std::string state = text_at(interface, "state");
    const std::string master = text_at(interface, "master");
    const bool bridge = ovs_bridge || type == "bridge";
    if (!ovs_bridge && !is_uplink_type(type)) return UplinkFlaw::wrong_type;
    if (state != "up" && !(ovs_bridge && state == "unknown")) return UplinkFlaw::not_up;
    if (!master.empty() && !(ovs_bridge && master == "ovs-system")) return UplinkFlaw::enslaved;
    if (!bridge && has_global_address(interface)) return UplinkFlaw::global_address;
    return UplinkFlaw::none;
}

std::string interface_kind_text(const std::string& type) {
    if (type == "veth") return "a veth pair end";
    if (type == "tun") return "a tun/tap device";
    if (type == "loopback") return "the loopback interface";
    if (type.empty() || type == "other") return "an interface of another kind";
    return "an interface of type \"" + type + "\"";
}

std::string uplink_flaw_text(UplinkFlaw flaw, const Json& interface) {
    switch (flaw) {
        case UplinkFlaw::none:
            return {};
        case UplinkFlaw::wrong_type:
            return "it is " + interface_kind_text(text_at(interface, "type")) +
                   ", not a physical interface, bond, VLAN or bridge";
        case UplinkFlaw::not_up: {
            const std::string state = text_at(interface, "state");
            return state == "down" ? "it is down" : "it is not up (its state is \"" + state + "\")";
        }
        case UplinkFlaw::enslaved:
            return "it belongs to " + text_at(interface, "master");
        case UplinkFlaw::global_address:
            return "it has a global address and is not a bridge";
    }
    return {};
}

Json interface_entry(const Json& fact, const std::vector<std::string>& ovs_bridges) {
    const std::string name = text_at(fact, "name");
    Json entry = {{"name", name},
                  {"type", text_at(fact, "type")},
                  {"state", text_at(fact, "state")},
                  {"master", text_at(fact, "master")},
                  {"ovs_bridge", std::find(ovs_bridges.begin(), ovs_bridges.end(), name) != ovs_bridges.end()},
                  {"global_addresses", global_addresses(fact, true)}};
    const UplinkFlaw flaw = uplink_flaw(entry);
    entry["uplink_candidate"] = flaw == UplinkFlaw::none;
    entry["why_not"] = uplink_flaw_text(flaw, entry);
    return entry;
}

Json member_network(const Json& facts, const std::vector<std::string>& ovs_bridges) {
    Json out = {{"interfaces", Json::array()}, {"addresses", Json::array()}};
    if (!facts.is_object()) return out;
    auto list = facts.find("interfaces");
    if (list == facts.end() || !list->is_array()) return out;
    for (const Json& fact : *list) {
        if (!fact.is_object() || text_at(fact, "name").empty()) continue;
        for (const auto& ip : global_addresses(fact, false)) out["addresses"].push_back(ip);
        if (text_at(fact, "type") == "loopback") continue;
        out["interfaces"].push_back(interface_entry(fact, ovs_bridges));
    }
    return out;
}

void add_member_network(Json& report, const Json& facts) {
    std::vector<std::string> bridges;
    if (auto it = report.find("bridges"); it != report.end() && it->is_array())
        for (const Json& name : *it)
            if (name.is_string()) bridges.push_back(name.get<std::string>());
    Json network = member_network(facts, bridges);
    report["interfaces"] = std::move(network["interfaces"]);
    report["addresses"] = std::move(network["addresses"]);
}

void note_member_network_unknown(Json& report, const std::string& why) {
    report["interfaces"] = Json::array();
    report["addresses"] = Json::array();
    if (!report.contains("warnings") || !report["warnings"].is_array()) report["warnings"] = Json::array();
    report["warnings"].push_back(
        "This member's interfaces and addresses are unknown, so its uplink and underlay "
        "cannot be checked: " +
        why);
}

}  // namespace microcloud::plugins::ovn
