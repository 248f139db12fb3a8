// tests/unit/plugins/ceph/report_test.cpp - the Ceph discover report assembled from observations:
// all programs or some missing, no cluster, a cluster that answers or does not.
#include "ceph_report.hpp"

#include <gtest/gtest.h>

namespace ceph = microcloud::plugins::ceph;
using microcloud::sdk::CommandResult;
using microcloud::sdk::Json;

namespace {

constexpr const char* kVersion = "ceph version 16.2.15 (618f440892089921c3e944a991122ddc44e60516) pacific (stable)\n";

ceph::CephObservations full_member() {
    ceph::CephObservations observed;
    for (const auto& [name, package] :
         std::vector<std::pair<std::string, std::string>>{{"ceph", "ceph-common"},
                                                          {"ceph-mon", "ceph-mon"},
                                                          {"ceph-mgr", "ceph-mgr"},
                                                          {"ceph-osd", "ceph-osd"},
                                                          {"ceph-authtool", "ceph-common"},
                                                          {"monmaptool", "ceph-base"}})
        observed.programs.push_back({name, package, "/usr/bin/" + name, CommandResult{0, kVersion, "", false}, ""});
    observed.files.conf_path = "/etc/ceph/ceph.conf";
    observed.files.keyring_candidates = {"/etc/ceph/ceph.client.admin.keyring", "/etc/ceph/ceph.keyring"};
    observed.files.daemon_ids = {{"mon", {}}, {"mgr", {}}, {"osd", {}}};
    observed.status.skipped_because = "there is no cluster configuration at /etc/ceph/ceph.conf";
    return observed;
}

// As on the Debian 12 development machines: only ceph-common is installed.
ceph::CephObservations client_only_member() {
    auto observed = full_member();
    for (auto& p : observed.programs)
        if (p.package != "ceph-common") {
            p.path.clear();
            p.run.reset();
        }
    return observed;
}

ceph::CephObservations configured_member() {
    auto observed = full_member();
    observed.files.conf_exists = true;
    observed.files.conf = ceph::parse_ceph_conf("[global]\nfsid = 1111\nmon host = 192.0.2.11\n");
    observed.files.keyring_path = "/etc/ceph/ceph.client.admin.keyring";
    observed.files.daemon_ids = {{"mon", {"m1"}}, {"mgr", {"m1"}}, {"osd", {"0", "1"}}};
    observed.status.skipped_because.clear();
    return observed;
}

bool any_contains(const Json& list, const std::string& text) {
    for (const auto& item : list)
        if (item.get<std::string>().find(text) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST(CephReport, EverythingInstalledNoCluster) {
    Json report = ceph::ceph_report(full_member());
    EXPECT_EQ(report["component"], "Ceph");
    EXPECT_EQ(report["present"], true) << report.dump(2);
    EXPECT_TRUE(report["reasons"].empty());
    EXPECT_TRUE(report["warnings"].empty()) << report["warnings"].dump();
    EXPECT_EQ(report["programs"]["ceph-osd"]["version"], "16.2.15");
    EXPECT_EQ(report["programs"]["ceph-osd"]["codename"], "pacific");
    EXPECT_EQ(report["release"],
              (Json{{"version", "16.2.15"}, {"codename", "pacific"}, {"minimum", "16.2"}, {"supported", true}}));
    EXPECT_EQ(report["cluster"]["configured"], false);
    EXPECT_TRUE(report["cluster"]["fsid"].is_null());
    EXPECT_EQ(report["cluster"]["keyring"]["exists"], false);
    EXPECT_EQ(report["health"]["checked"], false);
    EXPECT_NE(report["health"]["reason"].get<std::string>().find("no cluster configuration"), std::string::npos);
}

TEST(CephReport, AVersionFromThePackageDatabaseStandsForTheRelease) {
    auto observed = full_member();
    for (auto& p : observed.programs) {
        p.run.reset();
        if (p.name == "ceph-mon") p.package_version = "16.2.15";
    }
    const Json report = ceph::ceph_report(observed);
    EXPECT_EQ(report["present"], true) << report.dump(2);
    EXPECT_TRUE(report["warnings"].empty()) << report["warnings"].dump();
    EXPECT_EQ(report["programs"]["ceph-mon"]["version"], "16.2.15");
    EXPECT_EQ(report["programs"]["ceph-mon"]["version_from"], "package");
    EXPECT_TRUE(report["programs"]["ceph-mon"]["codename"].is_null());  // dpkg does not record it
    EXPECT_EQ(report["release"]["version"], "16.2.15");
    EXPECT_EQ(report["release"]["supported"], true);
    EXPECT_EQ(ceph::ceph_report(full_member())["programs"]["ceph-mon"]["version_from"], "--version");
}

TEST(CephReport, ClientOnlyMachineIsNotPresent) {
    Json report = ceph::ceph_report(client_only_member());
    EXPECT_EQ(report["present"], false);
    ASSERT_EQ(report["reasons"].size(), 4u);
    EXPECT_TRUE(any_contains(report["reasons"], "ceph-mon is not installed"));
    EXPECT_TRUE(any_contains(report["reasons"], "Debian package ceph-base"));
    EXPECT_EQ(report["programs"]["ceph"]["installed"], true);
    EXPECT_EQ(report["programs"]["ceph-mgr"]["installed"], false);
    EXPECT_EQ(report["release"]["version"], "16.2.15");
    EXPECT_EQ(report["version"], "16.2.15");
}

TEST(CephReport, OldReleaseIsAReason) {
    auto observed = full_member();
    for (auto& p : observed.programs)
        p.run->out = "ceph version 15.2.17 (8a82819d84cf884bd39c17e3236e0632ac146dc4) octopus (stable)\n";
    Json report = ceph::ceph_report(observed);
    EXPECT_EQ(report["present"], false);
    EXPECT_TRUE(any_contains(report["reasons"], "Ceph 15.2.17 is older than the oldest supported release 16.2"));
}

TEST(CephReport, VersionProblemsAreWarnings) {
    auto observed = full_member();
    observed.programs[1].run = CommandResult{-1, "", "", true};
    observed.programs[2].run->out = "ceph version 16.2.14 (abc) pacific (stable)\n";
    Json report = ceph::ceph_report(observed);
    EXPECT_EQ(report["present"], true);
    EXPECT_EQ(report["programs"]["ceph-mon"]["error"], "timed out");
    EXPECT_TRUE(any_contains(report["warnings"], "ceph-mon --version` timed out"));
    EXPECT_TRUE(any_contains(report["warnings"], "different versions"));
}

TEST(CephReport, HealthyConfiguredCluster) {
    auto observed = configured_member();
    observed.status.run =
        CommandResult{0,
                      R"({"fsid":"1111","health":{"status":"HEALTH_OK","checks":{}},"quorum_names":["m1"],)"
                      R"("monmap":{"num_mons":1},"osdmap":{"num_osds":2,"num_up_osds":2,"num_in_osds":2},)"
                      R"("mgrmap":{"available":true}})",
                      "", false};
    Json report = ceph::ceph_report(observed);
    EXPECT_EQ(report["cluster"]["configured"], true);
    EXPECT_EQ(report["cluster"]["fsid"], "1111");
    EXPECT_EQ(report["cluster"]["mon_host"], "192.0.2.11");
    EXPECT_EQ(report["cluster"]["keyring"]["path"], "/etc/ceph/ceph.client.admin.keyring");
    EXPECT_EQ(report["cluster"]["daemons"]["osd"], (Json{"0", "1"}));
    EXPECT_EQ(report["health"]["checked"], true);
    EXPECT_EQ(report["health"]["reachable"], true);
    EXPECT_EQ(report["health"]["status"], "HEALTH_OK");
    EXPECT_EQ(report["health"]["osds"]["up"], 2);
    EXPECT_TRUE(report["warnings"].empty()) << report["warnings"].dump();
}

TEST(CephReport, UnhealthyClusterIsAWarning) {
    auto observed = configured_member();
    observed.status.run = CommandResult{
        0, R"({"health":{"status":"HEALTH_WARN","checks":{"OSD_DOWN":{"summary":{"message":"1 osds down"}}}}})", "",
        false};
    Json report = ceph::ceph_report(observed);
    EXPECT_TRUE(any_contains(report["warnings"], "reports HEALTH_WARN (OSD_DOWN: 1 osds down)"));
}

TEST(CephReport, UnreachableClusterIsAFact) {
    auto observed = configured_member();
    observed.status.run = CommandResult{1, "", "2026-01-01T00:00:00 7f -1 monclient: ...\ntimed out\n", false};
    Json report = ceph::ceph_report(observed);
    EXPECT_EQ(report["present"], true);
    EXPECT_EQ(report["health"],
              (Json{{"checked", true}, {"reachable", false}, {"error", "ceph -s exited with status 1: timed out"}}));
    EXPECT_TRUE(any_contains(report["warnings"], "did not answer"));

    observed.status.run.reset();
    observed.status.start_error = "no such file";
    EXPECT_EQ(ceph::ceph_report(observed)["health"]["error"], "ceph could not be started: no such file");
}

TEST(CephReport, ConfigurationProblemsAreWarnings) {
    auto observed = configured_member();
    observed.files.conf = ceph::parse_ceph_conf("[global]\nbroken line\n");
    observed.files.keyring_path.clear();
    observed.status.skipped_because = "skipped";
    Json report = ceph::ceph_report(observed);
    EXPECT_EQ(report["cluster"]["conf_errors"].size(), 1u);
    EXPECT_TRUE(any_contains(report["warnings"], "line 2: expected"));
    EXPECT_TRUE(any_contains(report["warnings"], "has no fsid"));
    EXPECT_TRUE(any_contains(report["warnings"], "names no monitors"));
    EXPECT_TRUE(any_contains(report["warnings"], "No client.admin keyring"));
}

TEST(CephReport, LeftoverDaemonDataWithoutConfigIsAWarning) {
    auto observed = full_member();
    observed.files.daemon_ids["osd"] = {"3"};
    Json report = ceph::ceph_report(observed);
    EXPECT_TRUE(any_contains(report["warnings"], "removed incompletely"));
}
