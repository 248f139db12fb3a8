// plugins/ceph/ceph_plan_rules.cpp - the rules the Ceph plugin checks before anything changes.
#include "ceph_plan_rules.hpp"

#include "cidr.hpp"
#include "member_view.hpp"
#include "osd_disks.hpp"

#include <microcloud/sdk/problems.hpp>

#include <filesystem>

namespace microcloud::plugins::ceph {

using sdk::Json;

namespace {

// Upstream's recommended number of members supplying OSDs.
constexpr std::size_t kRecommendedOsdHosts = 3;

Json report_of(const Json& input, const std::string& member) {
    const Json discovery = input.value("discovery", Json::object());
    const auto it = discovery.find(member);
    return it != discovery.end() && it->is_object() ? *it : Json::object();
}

std::string resolve_link(const std::string& path) {
    std::error_code ec;
    const auto resolved = std::filesystem::canonical(path, ec);
    return ec ? std::string() : resolved.string();
}

void check_programs(const Json& input, const std::vector<std::string>& members, sdk::Problems& problems) {
    for (const auto& member : members) {
        const Json report = report_of(input, member);
        if (report.contains("error")) {
            problems.error("ceph", "Ceph's discovery failed on " + member + ": " +
                                       report["error"].value("message", std::string("unknown error")));
            continue;
        }
        if (report.value("present", false)) continue;
        std::string reasons;
        for (const auto& reason : report.value("reasons", Json::array()))
            reasons.append(reasons.empty() ? "" : " ").append(reason.get<std::string>());
        problems.error("ceph", "Ceph cannot be set up on " + member + ": " +
                                   (reasons.empty() ? std::string("it was not discovered there.") : reasons) +
                                   " Install ceph-mon, ceph-mgr, ceph-osd and ceph-common there, or leave Ceph out "
                                   "(microcloudd --disable-plugin ceph).");
    }
}

void check_disks(const Json& input, const std::vector<std::string>& members, sdk::Problems& problems) {
    for (const auto& member : members) {
        const Json judged = report_of(input, member).value("disks", Json::array());
        for (const Json& chosen : ceph_disks_of(input, member)) {
            const std::string path = chosen.value("path", "");
            const std::string field = chosen.value("source", std::string("storage.ceph"));
            if (chosen.value("encrypt", false)) {
                problems.error(field + ".encrypt",
                               "Disk " + path + " on " + member +
                                   ": encrypted OSDs (encrypt: true) are not supported by this Ceph plugin; "
                                   "accepted: encrypt: false");
                continue;
            }
            const auto disk = find_disk(judged, path, resolve_link);
            if (!disk) {
                problems.error(field, "Disk " + path + " was not found on " + member);
                continue;
            }
            if (!disk->value("qualifies", false)) {
                problems.error(field, "Disk " + path + " on " + member +
                                          " cannot be used for Ceph: " + disk->value("reason", ""));
                continue;
            }
            if (disk->value("wipe_needed", false) && !chosen.value("wipe", false)) {
                const std::string signature = disk->value("signature", "");
                const std::string what = !signature.empty() ? "a " + signature + " signature"
                                                            : std::to_string(disk->value("partitions", 0)) +
                                                                  " partition(s)";
                problems.error(field + ".wipe", "Disk " + path + " on " + member + " holds " + what +
                                                    ": set wipe: true to use it for Ceph (its data is lost)");
            }
        }
    }
}

void check_network(const Json& input, const std::vector<std::string>& members, const std::string& key,
                   sdk::Problems& problems) {
    const Json settings = input.value("preseed", Json::object()).value("ceph", Json::object());
    if (!settings.is_object() || !settings.contains(key) || !settings[key].is_string()) return;
    const std::string cidr = settings[key].get<std::string>();
    if (cidr.empty()) return;
    const auto subnet = parse_cidr(cidr);
    if (!subnet) {
        problems.error("ceph." + key, "Invalid CIDR subnet \"" + cidr + "\": expected a subnet such as 10.0.0.0/24");
        return;
    }
    if (!subnet->has_room()) {
        problems.error("ceph." + key, "Invalid Ceph network subnet (must have more than one address)");
        return;
    }
    for (const auto& member : members)
        if (address_in(report_of(input, member).value("addresses", Json::array()), cidr).empty())
            problems.error("ceph." + key, "Not enough network interfaces found with an IP within the given CIDR "
                                          "subnet on \"" +
                                              member + "\".\nYou need at least one interface per cluster member.");
}

void check_cephfs(const Json& input, const std::vector<std::string>& members, sdk::Problems& problems) {
    const Json settings = input.value("preseed", Json::object()).value("ceph", Json::object());
    if (!settings.is_object() || !settings.value("cephfs", false)) return;
    for (const auto& member : members) {
        const Json programs = report_of(input, member).value("programs", Json::object());
        const Json mds = programs.value("ceph-mds", Json::object());
        if (!mds.value("installed", false))
            problems.warn("ceph.cephfs", "ceph-mds is not installed on " + member +
                                             " (Debian package ceph-mds): no CephFS metadata server runs there");
    }
}

}  // namespace

std::vector<std::string> run_members(const Json& input) {
    if (input.value("bootstrap", false)) return input.value("members", std::vector<std::string>{});
    return input.value("joining", std::vector<std::string>{});
}

Json ceph_disks_of(const Json& input, const std::string& member) {
    const Json disks = input.value("disks", Json::object());
    const auto it = disks.find(member);
    if (it == disks.end() || !it->is_object()) return Json::array();
    const Json ceph = it->value("ceph", Json::array());
    return ceph.is_array() ? ceph : Json::array();
}

Json ceph_plan_problems(const Json& input) {
    const auto members = run_members(input);
    std::size_t supplying = 0;
    for (const auto& member : input.value("members", std::vector<std::string>{}))
        supplying += ceph_disks_of(input, member).empty() ? 0 : 1;
    bool formed = false;
    const Json discovery = input.value("discovery", Json::object());
    for (const auto& [member, report] : discovery.items())
        formed = formed || (report.is_object() && report.value("formed_by_microcloud", false));
    if (supplying == 0 && !formed)
        throw sdk::Error("unsupported",
                         "no member was given a disk for Ceph (systems[].storage.ceph or storage.ceph), so "
                         "Ceph takes no part");
    sdk::Problems problems;
    check_programs(input, members, problems);
    check_disks(input, members, problems);
    check_network(input, members, "public_network", problems);
    check_network(input, members, "internal_network", problems);
    check_cephfs(input, members, problems);
    if (input.value("bootstrap", false) && supplying < kRecommendedOsdHosts)
        problems.warn("storage.ceph", "Disk configuration does not meet recommendations for fault tolerance. At least " +
                                          std::to_string(kRecommendedOsdHosts) +
                                          " systems must supply disks (" + std::to_string(supplying) +
                                          " currently supplying)");
    return problems.list;
}

}  // namespace microcloud::plugins::ceph
