// tests/unit/formation/disk_selection_test.cpp - choosing members' local and Ceph disks from the
// preseed: explicit paths win, Ceph before local, no disk chosen twice, unusable disks passed over
// with a reason, and upstream's find_min/find_max and constraint messages.
#include "formation/disk_selection.hpp"

#include "common/error.hpp"

#include <gtest/gtest.h>

#include <set>

namespace microcloud::host::formation {
namespace {

constexpr long long kGiB = 1LL << 30;

nlohmann::json disk(const std::string& name, const std::string& type, long long size) {
    return {{"name", name},
            {"path", "/dev/" + name},
            {"id", "/dev/" + name},
            {"size", size},
            {"model", ""},
            {"type", type},
            {"removable", false},
            {"read_only", false},
            {"partitions", nlohmann::json::array()},
            {"in_use", false},
            {"in_use_reason", ""}};
}

Preseed preseed(std::vector<DiskFilter> local, std::vector<DiskFilter> ceph,
                std::vector<std::string> names = {"m1", "m2"}) {
    Preseed p;
    for (const auto& name : names) p.systems.push_back({name, "", "", "", std::nullopt, {}});
    p.local_filters = std::move(local);
    p.ceph_filters = std::move(ceph);
    return p;
}

// m1: sda (hdd 20G), sdb (hdd 40G), nvme0n1 (100G); m2: sda (hdd 20G), nvme0n1 (100G).
std::map<std::string, nlohmann::json> two_members() {
    return {{"m1", {disk("sda", "hdd", 20 * kGiB), disk("sdb", "hdd", 40 * kGiB), disk("nvme0n1", "nvme", 100 * kGiB)}},
            {"m2", {disk("sda", "hdd", 20 * kGiB), disk("nvme0n1", "nvme", 100 * kGiB)}}};
}

std::string failure(const Preseed& p, const std::map<std::string, nlohmann::json>& disks, std::string* code = nullptr) {
    try {
        select_disks(p, disks);
    } catch (const Error& error) {
        if (code != nullptr) *code = error.code();
        return error.what();
    }
    return "accepted";
}

std::vector<std::string> ceph_paths(const nlohmann::json& member) {
    std::vector<std::string> out;
    for (const auto& d : member["ceph"]) out.push_back(d["path"]);
    return out;
}

std::string passed_over_reason(const nlohmann::json& member, const std::string& path) {
    for (const auto& d : member["passed_over"])
        if (d["path"] == path) return d["reason"];
    return "(not passed over)";
}

TEST(DiskSelection, CephThenLocalEachDiskOnce) {
    const auto out = select_disks(preseed({{"type == hdd", 0, 0, true, false}}, {{"type == nvme", 1, 0, true, true}}),
                                  two_members());
    EXPECT_EQ(ceph_paths(out["m1"]), std::vector<std::string>{"/dev/nvme0n1"});
    EXPECT_EQ(out["m1"]["ceph"][0]["encrypt"], true);
    EXPECT_EQ(out["m1"]["ceph"][0]["source"], "storage.ceph[0]");
    EXPECT_EQ(out["m1"]["local"]["path"], "/dev/sda");  // the first match
    EXPECT_EQ(out["m1"]["local"]["wipe"], true);
    EXPECT_EQ(out["m2"]["local"]["path"], "/dev/sda");
    EXPECT_NE(passed_over_reason(out["m1"], "/dev/sdb").find("already chosen (/dev/sda)"), std::string::npos);
}

TEST(DiskSelection, TwoFiltersNeverChooseOneDiskTwice) {
    // The second Ceph filter matches every disk of m1, the first only its hdds.
    const auto p = preseed({}, {{"type == hdd", 1, 0, false, false}, {"size > 1GiB", 1, 0, false, false}}, {"m1"});
    const auto out = select_disks(p, {{"m1", two_members()["m1"]}});
    const auto ceph = ceph_paths(out["m1"]);
    EXPECT_EQ(ceph, (std::vector<std::string>{"/dev/sda", "/dev/sdb", "/dev/nvme0n1"}));
    EXPECT_EQ(out["m1"]["ceph"][2]["source"], "storage.ceph[1]");
    EXPECT_EQ(std::set<std::string>(ceph.begin(), ceph.end()).size(), ceph.size());
    EXPECT_TRUE(out["m1"]["local"].is_null());
}

TEST(DiskSelection, LocalFindsNothingAfterCephTookAll) {
    const auto p = preseed({{"size > 1GiB", 0, 0, false, false}}, {{"size > 1GiB", 1, 0, false, false}}, {"m1"});
    EXPECT_EQ(failure(p, {{"m1", two_members()["m1"]}}), "Failed to find at least 1 disks for filter \"size > 1GiB\"");
}

TEST(DiskSelection, ExplicitPathWinsAndIsOutOfFilterReach) {
    Preseed p = preseed({{"type == nvme", 0, 0, false, false}}, {{"type == hdd", 1, 0, false, false}});
    p.systems[0].local_disk = PreseedDisk{"/dev/sdb", true, false};
    const auto out = select_disks(p, two_members());
    EXPECT_EQ(out["m1"]["local"]["path"], "/dev/sdb");
    EXPECT_EQ(out["m1"]["local"]["source"], "systems[0].storage.local");
    EXPECT_EQ(ceph_paths(out["m1"]), std::vector<std::string>{"/dev/sda"});  // not sdb
    EXPECT_EQ(ceph_paths(out["m2"]), std::vector<std::string>{"/dev/sda"});
    EXPECT_EQ(out["m2"]["local"]["path"], "/dev/nvme0n1");
    EXPECT_NE(passed_over_reason(out["m1"], "/dev/nvme0n1").find("storage.local filters do not apply"),
              std::string::npos);
}

TEST(DiskSelection, ExplicitCephMemberSkipsCephFilters) {
    Preseed p = preseed({}, {{"type == nvme", 1, 0, false, false}});
    p.systems[1].ceph_disks = {{"/dev/sda", true, true}};
    const auto out = select_disks(p, two_members());
    EXPECT_EQ(ceph_paths(out["m2"]), std::vector<std::string>{"/dev/sda"});
    EXPECT_EQ(out["m2"]["ceph"][0]["source"], "systems[1].storage.ceph[0]");
    EXPECT_NE(passed_over_reason(out["m2"], "/dev/nvme0n1").find("filters do not apply"), std::string::npos);
    EXPECT_EQ(ceph_paths(out["m1"]), std::vector<std::string>{"/dev/nvme0n1"});
}

TEST(DiskSelection, FindMinFailure) {
    std::string code;
    EXPECT_EQ(failure(preseed({}, {{"type == nvme", 3, 0, false, false}}), two_members(), &code),
              "Failed to find at least 3 disks for filter \"type == nvme\"");
    EXPECT_EQ(code, "disk_selection_failed");
}

TEST(DiskSelection, FindMaxFailure) {
    EXPECT_EQ(failure(preseed({}, {{"type == hdd", 1, 2, false, false}}), two_members()),
              "Found more than 2 disks for filter \"type == hdd\"");
    EXPECT_EQ(failure(preseed({{"type == hdd", 0, 1, false, false}}, {}), two_members()),
              "Found more than 1 disks for filter \"type == hdd\"");
}

TEST(DiskSelection, TotalsUncheckedStillChoose) {
    // A dry run on one machine: find_min/find_max are for the whole run, the choice is still made.
    const auto out = select_disks(preseed({}, {{"type == hdd", 1, 1, false, false}}), two_members(), false, false);
    EXPECT_EQ(ceph_paths(out["m1"]), (std::vector<std::string>{"/dev/sda", "/dev/sdb"}));
    EXPECT_EQ(ceph_paths(out["m2"]), (std::vector<std::string>{"/dev/sda"}));
    EXPECT_EQ(failure(preseed({}, {{"type == hdd", 1, 1, false, false}}), two_members()),
              "Found more than 1 disks for filter \"type == hdd\"");
}

TEST(DiskSelection, FilterQuotedInMessagesAsGoDoes) {
    EXPECT_EQ(failure(preseed({}, {{"model == \"A B\"", 1, 0, false, false}}), two_members()),
              "Failed to find at least 1 disks for filter \"model == \\\"A B\\\"\"");
}

TEST(DiskSelection, UpstreamConstraintMessages) {
    std::string code;
    EXPECT_EQ(failure(preseed({}, {{"type == hdd", 0, 0, false, false}}), two_members(), &code),
              "Remote storage filter cannot be defined with find_min less than 1");
    EXPECT_EQ(code, "invalid_preseed");
    EXPECT_EQ(failure(preseed({}, {{"", 1, 0, false, false}}), two_members()), "Received empty remote disk filter");
    EXPECT_EQ(failure(preseed({}, {{"type == hdd", 4, 3, false, false}}), two_members()),
              "Invalid remote storage filter constraints find_max (3) must be larger than find_min (4)");
    EXPECT_EQ(failure(preseed({{"", 0, 0, false, false}}, {}), two_members()), "Received empty local disk filter");
    EXPECT_EQ(failure(preseed({{"type == hdd", 3, 2, false, false}}, {}), two_members()),
              "Invalid local storage filter constraints find_max (2) larger than find_min (3)");
}

TEST(DiskSelection, FiltersUnusableWhenEverySystemIsExplicit) {
    Preseed p = preseed({{"type == hdd", 0, 0, false, false}}, {{"type == nvme", 1, 0, false, false}});
    for (auto& s : p.systems) s.ceph_disks = {{"/dev/nvme0n1", false, false}};
    EXPECT_EQ(failure(p, two_members()),
              "Ceph disk filter cannot be used. All systems have explicitly specified disks");
    p.ceph_filters.clear();
    for (auto& s : p.systems) s.local_disk = PreseedDisk{"/dev/sda", false, false};
    EXPECT_EQ(failure(p, two_members()),
              "Local disk filter cannot be used. All systems have explicitly specified a disk");
}

TEST(DiskSelection, UnusableDisksArePassedOverWithReason) {
    auto disks = two_members();
    disks["m1"][0]["in_use"] = true;
    disks["m1"][0]["in_use_reason"] = "mounted at /";
    disks["m1"][1]["partitions"] = nlohmann::json::array({{{"name", "sdb1"}}});
    disks["m1"].push_back(disk("sdc", "hdd", 20 * kGiB));
    disks["m1"].back()["read_only"] = true;
    disks["m1"].push_back(disk("sr0", "cdrom", kGiB));
    const auto out = select_disks(preseed({{"type == hdd", 0, 0, false, false}}, {}), disks, false);
    EXPECT_TRUE(out["m1"]["local"].is_null());  // every hdd is unusable
    EXPECT_EQ(out["m2"]["local"]["path"], "/dev/sda");
    EXPECT_EQ(passed_over_reason(out["m1"], "/dev/sda"), "is in use: mounted at /");
    EXPECT_EQ(passed_over_reason(out["m1"], "/dev/sdb"), "has partitions");
    EXPECT_EQ(passed_over_reason(out["m1"], "/dev/sdc"), "is read-only");
    EXPECT_EQ(passed_over_reason(out["m1"], "/dev/sr0"), "is a CD/DVD drive");
    EXPECT_EQ(passed_over_reason(out["m1"], "/dev/nvme0n1"), "matched no storage.local filter");
}

TEST(DiskSelection, InUseDiskSkippedForTheNextMatch) {
    auto disks = two_members();
    disks["m1"][0]["in_use"] = true;
    const auto out = select_disks(preseed({{"type == hdd", 0, 0, false, false}}, {}), disks);
    EXPECT_EQ(out["m1"]["local"]["path"], "/dev/sdb");
}

TEST(DiskSelection, EveryMachineNeedsALocalDiskOnBootstrap) {
    const auto p = preseed({{"size < 30GiB && type == hdd", 0, 0, false, false}}, {});
    auto disks = two_members();
    disks["m2"] = nlohmann::json::array({disk("nvme0n1", "nvme", 100 * kGiB)});
    EXPECT_EQ(failure(p, disks), "Failed to find at least 1 disk on each machine for local storage pool configuration");
    const auto out = select_disks(p, disks, false);
    EXPECT_TRUE(out["m2"]["local"].is_null());
}

TEST(DiskSelection, BadExpressionNamesKindAndField) {
    try {
        select_disks(preseed({{"colour == red", 0, 0, false, false}}, {}), two_members());
        FAIL() << "accepted";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "invalid_disk_filter");
        EXPECT_EQ(std::string(error.what()).rfind("Failed to apply filter for local disks: Invalid disk filter", 0), 0u)
            << error.what();
        EXPECT_EQ(error.details()["field"], "storage.local[0].find");
    }
}

TEST(DiskSelection, ChosenPathPrefersById) {
    nlohmann::json d = disk("sda", "hdd", kGiB);
    EXPECT_EQ(disk_path(d), "/dev/sda");
    d["device_path"] = "pci-0000:00:1f.2-ata-1";
    EXPECT_EQ(disk_path(d), "/dev/disk/by-path/pci-0000:00:1f.2-ata-1");
    d["id"] = "/dev/disk/by-id/ata-WDC_1";
    EXPECT_EQ(disk_path(d), "/dev/disk/by-id/ata-WDC_1");
    // an explicit path in any of the disk's forms keeps the disk from the filters
    Preseed p = preseed({}, {{"type == hdd", 1, 0, false, false}}, {"m1"});
    p.systems[0].local_disk = PreseedDisk{"/dev/sda", false, false};
    const auto out = select_disks(p, {{"m1", {d, disk("sdb", "hdd", kGiB)}}});
    EXPECT_EQ(ceph_paths(out["m1"]), std::vector<std::string>{"/dev/sdb"});
}

}  // namespace
}  // namespace microcloud::host::formation
