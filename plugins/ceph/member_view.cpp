// plugins/ceph/member_view.cpp - the member's addresses and disks as the Ceph plugin sees them.
#include "member_view.hpp"

#include "ceph_layout.hpp"
#include "cidr.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace microcloud::plugins::ceph {

using sdk::Json;

Json global_addresses(const Json& facts) {
    Json out = Json::array();
    for (const Json& interface : facts.value("interfaces", Json::array())) {
        if (!interface.is_object()) continue;
        for (const Json& address : interface.value("addresses", Json::array())) {
            if (!address.is_object() || address.value("scope", "") != "global") continue;
            out.push_back({{"interface", interface.value("name", "")},
                           {"address", address.value("address", "")},
                           {"prefix", address.value("prefix", 0)}});
        }
    }
    return out;
}

void add_member_view(Json& report, const Json& facts, const CephConfig& config,
                     const std::function<DiskProbe(const std::string&)>& probe) {
    report["addresses"] = global_addresses(facts);
    Json disks = Json::array();
    for (const Json& disk : facts.value("disks", Json::array()))
        if (disk.is_object()) disks.push_back(judge_disk(disk, probe(disk.value("path", ""))));
    report["disks"] = disks;
    std::error_code ec;
    report["formed_by_microcloud"] = std::filesystem::exists(layout_of(config).marker, ec);
    report["daemons_running"] = running_daemons(config.run_dir, config.cluster);
}

Json running_daemons(const std::string& run_dir, const std::string& cluster) {
    Json out = Json::array();
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(run_dir, ec)) {
        const std::string file = entry.path().filename().string();
        const std::string prefix = cluster + "-";
        if (!file.starts_with(prefix) || !file.ends_with(".pid")) continue;
        std::ifstream in(entry.path());
        long pid = 0;
        if (!(in >> pid) || pid <= 0) continue;
        std::ifstream cmdline("/proc/" + std::to_string(pid) + "/cmdline");
        std::string program;
        if (!std::getline(cmdline, program, '\0') || program.find("ceph-") == std::string::npos) continue;
        const std::string name = file.substr(prefix.size(), file.size() - prefix.size() - 4);  // "osd.0"
        out.push_back({{"name", name}, {"pid", pid}});
    }
    std::sort(out.begin(), out.end(), [](const Json& a, const Json& b) { return a["name"] < b["name"]; });
    return out;
}

std::string address_in(const Json& addresses, const std::string& cidr) {
    const auto subnet = parse_cidr(cidr);
    if (!subnet) return "";
    for (const Json& entry : addresses)
        if (entry.is_object() && subnet->contains(entry.value("address", ""))) return entry.value("address", "");
    return "";
}

std::string subnet_of_address(const Json& addresses, const std::string& address) {
    for (const Json& entry : addresses)
        if (entry.is_object() && entry.value("address", "") == address)
            if (const auto subnet = subnet_of(address, entry.value("prefix", 0))) return subnet->text();
    return "";
}

}  // namespace microcloud::plugins::ceph
