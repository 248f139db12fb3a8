// host/interactive/setup_questions.cpp - the storage and network questions of `init` and `add`,
// and the preseed document their answers make.
#include "interactive/setup_questions.hpp"

#include "common/error.hpp"
#include "formation/address_rules.hpp"
#include "formation/disk_selection.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

namespace microcloud::host::interactive {
namespace {

constexpr std::size_t kRecommendedOsdHosts = 3;  // upstream's RecommendedOSDHosts
const std::vector<std::string> kDiskHeader{"LOCATION", "MODEL", "CAPACITY", "TYPE", "PATH"};

struct Disk {
    std::string path;
    bool wipe = false;
};

// What the answers chose, per system.
struct Choice {
    std::map<std::string, Disk> local;                      // system → its local pool's disk
    std::map<std::string, std::vector<Disk>> ceph;          // system → its OSD disks
    bool encrypt = false;
    bool cephfs = false;
    std::string ceph_internal, ceph_public;                 // "" = the MicroCloud network
    std::map<std::string, std::string> uplink;              // system → interface
    std::map<std::string, std::string> underlay;            // system → IP
    nlohmann::json ovn = nlohmann::json::object();          // the preseed's ovn section
};

std::string text_at(const nlohmann::json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// Asks until `attempt` succeeds ("" back) or the user declines `question` after a problem.
template <class Attempt>
void ask_retry(Asker& asker, const std::string& question, Attempt attempt) {
    for (;;) {
        const std::string problem = attempt();
        if (problem.empty()) return;
        asker.warn(problem);
        if (!asker.ask_bool(question, true)) return;
    }
}

// The disks of each system that nothing uses yet (no partitions, not in use, writable), as table
// rows sorted by system and path, less the ones `taken`.
std::vector<Row> free_disks(const SetupInput& input, const std::map<std::string, Disk>& taken) {
    std::vector<Row> rows;
    for (const auto& member : input.members) {
        const nlohmann::json disks = member.facts.value("disks", nlohmann::json::array());
        for (const auto& disk : disks) {
            if (!disk.is_object() || !formation::disk_unusable_reason(disk).empty()) continue;
            const std::string path = formation::disk_path(disk);
            if (const auto it = taken.find(member.name); it != taken.end() && it->second.path == path) continue;
            rows.push_back({member.name, text_at(disk, "model"), iec_size(disk.value("size", 0.0)), text_at(disk, "type"),
                            path});
        }
    }
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
        return std::tie(a[0], a[4]) < std::tie(b[0], b[4]);
    });
    return rows;
}

std::vector<Row> pick(const std::vector<Row>& rows, const std::vector<std::size_t>& indexes) {
    std::vector<Row> out;
    for (const std::size_t i : indexes) out.push_back(rows.at(i));
    return out;
}

// Every system's global addresses with their interface: {system → [(interface, type, ip, prefix)]}.
struct Address {
    std::string interface, type, ip;
    int prefix = 0;
};
std::map<std::string, std::vector<Address>> global_addresses(const SetupInput& input) {
    std::map<std::string, std::vector<Address>> out;
    for (const auto& member : input.members) {
        auto& list = out[member.name];
        const nlohmann::json interfaces = member.facts.value("interfaces", nlohmann::json::array());
        for (const auto& interface : interfaces) {
            if (text_at(interface, "type") == "loopback") continue;
            const nlohmann::json addresses = interface.value("addresses", nlohmann::json::array());
            for (const auto& address : addresses)
                if (text_at(address, "scope") == "global" && !text_at(address, "address").empty())
                    list.push_back({text_at(interface, "name"), text_at(interface, "type"), text_at(address, "address"),
                                    address.value("prefix", 0)});
        }
    }
    return out;
}

void ask_local(Asker& asker, const SetupInput& input, Choice& choice) {
    const std::vector<Row> rows = free_disks(input, {});
    std::set<std::string> with_disks;
    for (const auto& row : rows) with_disks.insert(row[0]);
    if (with_disks.size() != input.members.size()) {
        asker.warn("No disks available for local storage. Skipping configuration");
        return;
    }
    if (!asker.ask_bool("Would you like to set up local storage?", true)) return;
    ask_retry(asker, "Retry selecting disks?", [&]() -> std::string {
        const std::vector<Row> chosen = pick(rows, asker.select("Select exactly one disk from each cluster member:",
                                                                kDiskHeader, rows));
        if (chosen.empty()) return "No disks selected";
        std::map<std::string, Disk> selected;
        for (const auto& row : chosen)
            if (!selected.emplace(row[0], Disk{row[4]}).second)
                return "Failed to add local storage pool: Selected more than one disk for target peer \"" + row[0] + "\"";
        if (selected.size() != input.members.size())
            return "Failed to add local storage pool: Some peers don't have an available disk";
        for (const auto& row : pick(chosen, asker.select("Select which disks to wipe:", kDiskHeader, chosen)))
            selected[row[0]].wipe = true;
        choice.local = std::move(selected);
        return "";
    });
    if (choice.local.empty()) return;
    asker.say("");
    for (const auto& [system, disk] : choice.local)
        asker.say(" Using " + disk.path + " on " + system + " for local storage pool");
    asker.say("");
}

// A validator for a Ceph subnet: a network in CIDR form holding an address of every system.
Validator ceph_subnet(const SetupInput& input, const std::map<std::string, std::vector<Address>>& addresses) {
    return [&input, &addresses](const std::string& answer) -> std::string {
        if (const auto problem = formation::not_a_network(answer)) return *problem;
        if (answer == input.lookup_subnet) return "";
        for (const auto& member : input.members) {
            const auto& list = addresses.at(member.name);
            if (std::none_of(list.begin(), list.end(),
                             [&](const Address& a) { return formation::network_contains(answer, a.ip); }))
                return "system \"" + member.name + "\" has no address in " + answer;
        }
        return "";
    };
}

void ask_ceph_network(Asker& asker, const SetupInput& input, Choice& choice) {
    const auto addresses = global_addresses(input);
    for (const auto& member : input.members)
        if (addresses.at(member.name).empty()) {
            asker.warn("No network interfaces found with IPs on \"" + member.name +
                       "\" to set up a dedicated Ceph network. Skipping Ceph network setup");
            return;
        }
    const Validator valid = ceph_subnet(input, addresses);
    const std::string internal = asker.ask_string(
        "What subnet (IPv4/IPv6 CIDR) would you like your Ceph internal traffic on?", input.lookup_subnet, valid);
    const std::string shown = asker.ask_string(
        "What subnet (either IPv4 or IPv6 CIDR notation) would you like your Ceph public traffic on?", internal, valid);
    if (internal != input.lookup_subnet) choice.ceph_internal = internal;
    if (shown != input.lookup_subnet) choice.ceph_public = shown;
}

void ask_remote(Asker& asker, const SetupInput& input, Choice& choice) {
    const std::vector<Row> rows = free_disks(input, choice.local);
    if (rows.empty()) {
        asker.warn("No disks available for distributed storage. Skipping configuration");
        return;
    }
    if (!asker.ask_bool("Would you like to set up distributed storage?", true)) return;
    ask_retry(asker, "Change disk selection?", [&]() -> std::string {
        choice.ceph.clear();
        const std::vector<Row> chosen =
            pick(rows, asker.select("Select from the available unpartitioned disks:", kDiskHeader, rows));
        std::set<std::string> wiped;
        if (!chosen.empty())
            for (const auto& row : pick(chosen, asker.select("Select which disks to wipe:", kDiskHeader, chosen)))
                wiped.insert(row[0] + "\n" + row[4]);
        for (const auto& row : chosen) choice.ceph[row[0]].push_back({row[4], wiped.contains(row[0] + "\n" + row[4])});
        if (choice.ceph.empty()) return "No disks were selected";
        if (input.bootstrap && choice.ceph.size() < kRecommendedOsdHosts)
            return "Disk configuration does not meet recommendations for fault tolerance. At least " +
                   std::to_string(kRecommendedOsdHosts) + " systems must supply disks (" +
                   std::to_string(choice.ceph.size()) +
                   " currently supplying). Continuing with this configuration will inhibit MicroCloud's ability to "
                   "retain data on system failure";
        return "";
    });
    if (choice.ceph.empty()) return;
    asker.say("");
    for (const auto& [system, disks] : choice.ceph)
        asker.say(" Using " + std::to_string(disks.size()) + " disk(s) on " + system + " for remote storage pool");
    asker.say("");
    choice.encrypt = asker.ask_bool("Do you want to encrypt the selected disks?", false);
    // Adding systems to a cloud with Ceph: its CephFS and networks are the cluster's already.
    if (!input.bootstrap) return;
    choice.cephfs = asker.ask_bool("Would you like to set up CephFS remote storage?", true);
    ask_ceph_network(asker, input, choice);
}

std::string gateway_problem(const std::string& answer, bool v4) {
    if (answer.empty()) return "";
    const bool is4 = formation::cidr4(answer).has_value();
    const bool is6 = formation::is_cidr6(answer);
    if (!is4 && !is6) return "invalid CIDR address: " + answer;
    if (v4 && !is4) return "Not a valid IPv4";
    if (!v4 && !is6) return "Not a valid IPv6";
    return "";
}

std::string ipv4_problem(const std::string& answer) {
    if (answer.empty()) return "Required value";
    return formation::ipv4(answer) ? "" : "Not an IPv4 address \"" + answer + "\"";
}

// The items of a comma-separated list, each without surrounding blanks.
std::vector<std::string> list_items(const std::string& answer) {
    std::vector<std::string> out;
    std::istringstream items(answer);
    for (std::string item; std::getline(items, item, ',');) {
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        out.push_back(item);
    }
    return out;
}

std::string address_list_problem(const std::string& answer) {
    for (const auto& item : list_items(answer))
        if (!formation::is_ip(item)) return "Not an IP address \"" + item + "\"";
    return "";
}

void ask_uplink_config(Asker& asker, Choice& choice) {
    std::vector<std::string> gateways;
    for (const bool v4 : {true, false}) {
        const std::string family = v4 ? "IPv4" : "IPv6";
        const std::string gateway =
            asker.ask_string("Specify the " + family + " gateway (CIDR) on the uplink network", "",
                             [v4](const std::string& answer) { return gateway_problem(answer, v4); });
        if (gateway.empty()) continue;
        gateways.push_back(gateway.substr(0, gateway.find('/')));
        if (!v4) {
            choice.ovn["ipv6_gateway"] = gateway;
            continue;
        }
        const std::string first = asker.ask_string(
            "Specify the first IPv4 address in the range to use on the uplink network", "", ipv4_problem);
        const std::string last = asker.ask_string(
            "Specify the last IPv4 address in the range to use on the uplink network", "", ipv4_problem);
        choice.ovn["ipv4_gateway"] = gateway;
        choice.ovn["ipv4_range"] = first + "-" + last;
    }
    if (gateways.empty())
        throw Error("aborted", "Either the IPv4 or IPv6 gateway has to be set on the uplink network");
    std::string joined;
    for (const auto& gateway : gateways) joined += (joined.empty() ? "" : ",") + gateway;
    const std::string dns = asker.ask_string(
        "Specify the DNS addresses (comma-separated IPv4 / IPv6 addresses) for the distributed network", joined,
        [](const std::string& answer) { return answer.empty() ? "" : address_list_problem(answer); });
    std::string servers;
    for (const auto& item : list_items(dns)) servers += (servers.empty() ? "" : ",") + item;
    if (!servers.empty()) choice.ovn["dns_servers"] = servers;
}

void ask_underlay(Asker& asker, const SetupInput& input, Choice& choice) {
    const auto addresses = global_addresses(input);
    const std::vector<std::string> header{"LOCATION", "IFACE", "TYPE", "IP ADDRESS (CIDR)"};
    std::vector<Row> rows;
    for (const auto& member : input.members) {
        std::size_t count = 0;
        for (const auto& a : addresses.at(member.name)) {
            if (a.ip == member.address) continue;  // MicroCloud's own traffic is not the underlay
            rows.push_back({member.name, a.interface, a.type, a.ip + "/" + std::to_string(a.prefix)});
            ++count;
        }
        if (count == 0) {
            asker.warn("Not enough interfaces available on " + member.name +
                       " to create an underlay network. Skipping configuration");
            return;
        }
    }
    if (!asker.ask_bool("Configure dedicated OVN underlay networking?", false)) return;
    ask_retry(asker, "Retry selecting underlay network interfaces?", [&]() -> std::string {
        choice.underlay.clear();
        const std::vector<Row> chosen =
            pick(rows, asker.select("Select exactly one network interface from each cluster member:", header, rows));
        for (const auto& row : chosen)
            if (!choice.underlay.emplace(row[0], row[3].substr(0, row[3].find('/'))).second) {
                choice.underlay.clear();
                return "Failed to configure OVN underlay traffic: Selected more than one interface for target \"" +
                       row[0] + "\"";
            }
        if (!choice.underlay.empty() && choice.underlay.size() != input.members.size()) {
            choice.underlay.clear();
            return "Failed to configure OVN underlay traffic: Some peers don't have a selected interface";
        }
        return "";
    });
    if (choice.underlay.empty()) return;
    asker.say("");
    for (const auto& [system, ip] : choice.underlay)
        asker.say(" Using " + ip + " on " + system + " for OVN underlay traffic");
    asker.say("");
}

void ask_ovn(Asker& asker, const SetupInput& input, Choice& choice) {
    std::vector<Row> rows;
    std::string ineligible;
    for (const auto& member : input.members) {
        std::size_t count = 0;
        const nlohmann::json interfaces =
            member.ovn_report.is_object() ? member.ovn_report.value("interfaces", nlohmann::json::array())
                                          : nlohmann::json::array();
        for (const auto& interface : interfaces)
            if (interface.value("uplink_candidate", false)) {
                rows.push_back({member.name, text_at(interface, "name"), text_at(interface, "type")});
                ++count;
            }
        if (count == 0 && ineligible.empty())
            ineligible = "System \"" + member.name +
                         "\" is ineligible for distributed networking. At least one interface in state UP with no IPs "
                         "assigned or a bridge is required";
    }
    if (!ineligible.empty()) {
        asker.warn("Cannot configure MicroOVN");
        asker.warn(ineligible);
        if (asker.ask_bool("Continue anyway?", false)) return;
        throw Error("aborted", "User aborted");
    }
    // As upstream: asked, except when systems are added to a cloud whose OVN runs already.
    if ((input.bootstrap || !input.ovn_formed) && !asker.ask_bool("Configure distributed networking?", true)) return;
    ask_retry(asker, "Retry selecting uplink interfaces?", [&]() -> std::string {
        choice.uplink.clear();
        const std::vector<Row> chosen = pick(
            rows, asker.select("Select an available interface per system to provide external connectivity for "
                               "distributed network(s):",
                               {"LOCATION", "IFACE", "TYPE"}, rows));
        for (const auto& row : chosen)
            if (!choice.uplink.emplace(row[0], row[1]).second) {
                choice.uplink.clear();
                return "Failed to add OVN uplink network: Selected more than one interface for target \"" + row[0] +
                       "\"";
            }
        if (choice.uplink.size() != input.members.size()) {
            choice.uplink.clear();
            return "Failed to add OVN uplink network: Some peers don't have a selected interface";
        }
        return "";
    });
    if (choice.uplink.empty()) return;
    asker.say("");
    for (const auto& [system, interface] : choice.uplink)
        asker.say(" Using " + interface + " on " + system + " for OVN uplink");
    asker.say("");
    if (input.bootstrap || !input.ovn_formed) ask_uplink_config(asker, choice);
    ask_underlay(asker, input, choice);
}

nlohmann::json document(const SetupInput& input, const Choice& choice) {
    nlohmann::json doc{
        {"initiator", input.initiator}, {"lookup_subnet", input.lookup_subnet}, {"systems", nlohmann::json::array()}};
    for (const auto& member : input.members) {
        nlohmann::json system{{"name", member.name}};
        nlohmann::json storage = nlohmann::json::object();
        if (const auto it = choice.local.find(member.name); it != choice.local.end())
            storage["local"] = {{"path", it->second.path}, {"wipe", it->second.wipe}};
        if (const auto it = choice.ceph.find(member.name); it != choice.ceph.end()) {
            storage["ceph"] = nlohmann::json::array();
            for (const auto& disk : it->second)
                storage["ceph"].push_back({{"path", disk.path}, {"wipe", disk.wipe}, {"encrypt", choice.encrypt}});
        }
        if (!storage.empty()) system["storage"] = storage;
        if (const auto it = choice.uplink.find(member.name); it != choice.uplink.end())
            system["ovn_uplink_interface"] = it->second;
        if (const auto it = choice.underlay.find(member.name); it != choice.underlay.end())
            system["ovn_underlay_ip"] = it->second;
        doc["systems"].push_back(system);
    }
    if (!choice.ovn.empty()) doc["ovn"] = choice.ovn;
    if (!choice.ceph.empty() && input.bootstrap) {
        doc["ceph"] = {{"cephfs", choice.cephfs}};
        if (!choice.ceph_internal.empty()) doc["ceph"]["internal_network"] = choice.ceph_internal;
        if (!choice.ceph_public.empty()) doc["ceph"]["public_network"] = choice.ceph_public;
    }
    return doc;
}

}  // namespace

std::string iec_size(double bytes) {
    static const char* const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    std::size_t unit = 0;
    while (bytes >= 1024.0 && unit + 1 < std::size(units)) {
        bytes /= 1024.0;
        ++unit;
    }
    char text[32];
    std::snprintf(text, sizeof text, "%.2f%s", bytes, units[unit]);
    return text;
}

nlohmann::json ask_setup(Asker& asker, const SetupInput& input) {
    Choice choice;
    if (input.local) ask_local(asker, input, choice);
    if (input.ceph) ask_remote(asker, input, choice);
    if (input.ovn) ask_ovn(asker, input, choice);
    return document(input, choice);
}

}  // namespace microcloud::host::interactive
