// plugins/ovn/ovn_topology.cpp - central placement, connection strings, tunnel addresses.
#include "ovn_topology.hpp"

#include <algorithm>

namespace microcloud::plugins::ovn {

using sdk::Json;

std::string ssl_endpoint(const std::string& ip, int port) {
    const bool v6 = ip.find(':') != std::string::npos;
    return "ssl:" + (v6 ? "[" + ip + "]" : ip) + ":" + std::to_string(port);
}

std::string ssl_remotes(const std::vector<Central>& centrals, int port) {
    std::string out;
    for (const Central& central : centrals) out.append(out.empty() ? "" : ",").append(ssl_endpoint(central.address, port));
    return out;
}

bool is_central(const std::vector<Central>& centrals, const std::string& member) {
    return std::any_of(centrals.begin(), centrals.end(), [&](const Central& c) { return c.name == member; });
}

std::vector<Central> centrals_after(const std::vector<Central>& existing, const std::vector<std::string>& joining,
                                    const Json& addresses) {
    std::vector<Central> out = existing;
    for (const std::string& member : joining) {
        if (out.size() >= kCentralCount) break;
        if (is_central(out, member)) continue;
        const auto it = addresses.find(member);
        if (it == addresses.end() || !it->is_string() || it->get<std::string>().empty())
            throw sdk::Error("invalid_input", "the plan gives no address for member \"" + member + "\"");
        out.push_back({member, it->get<std::string>()});
    }
    return out;
}

Json centrals_to_json(const std::vector<Central>& centrals) {
    Json out = Json::array();
    for (const Central& c : centrals) out.push_back({{"name", c.name}, {"address", c.address}});
    return out;
}

std::vector<Central> centrals_from_json(const Json& json) {
    if (!json.is_array()) throw sdk::Error("invalid_token", "the OVN token's \"centrals\" is not a list");
    std::vector<Central> out;
    for (const Json& item : json) {
        if (!item.is_object() || !item.value("name", Json()).is_string() || !item.value("address", Json()).is_string())
            throw sdk::Error("invalid_token", "the OVN token names a central without name and address: " + item.dump());
        out.push_back({item["name"].get<std::string>(), item["address"].get<std::string>()});
    }
    return out;
}

std::string encap_ip(const Json& input, const std::string& member) {
    for (const Json& system : input.value("preseed", Json::object()).value("systems", Json::array()))
        if (system.is_object() && system.value("name", "") == member && system.contains("ovn_underlay_ip") &&
            system["ovn_underlay_ip"].is_string() && !system["ovn_underlay_ip"].get<std::string>().empty())
            return system["ovn_underlay_ip"].get<std::string>();
    const Json addresses = input.value("addresses", Json::object());
    const auto it = addresses.find(member);
    if (it == addresses.end() || !it->is_string() || it->get<std::string>().empty())
        throw sdk::Error("invalid_input", "the plan gives no address for member \"" + member + "\"");
    return it->get<std::string>();
}

std::vector<std::string> bootstrap_order(const Json& input) {
    const auto members = input.value("members", std::vector<std::string>{});
    std::vector<std::string> out;
    if (!members.empty()) out.push_back(members.front());
    for (const std::string& m : input.value("joining", std::vector<std::string>{}))
        if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
    return out;
}

}  // namespace microcloud::plugins::ovn
