// tests/unit/plugins/ovn/report_test.cpp - the OVN discover report assembled from observations:
// present, absent, too old, database reachable or not, kernel or userspace datapath.
#include "ovn_report.hpp"

#include <gtest/gtest.h>

namespace ovn = microcloud::plugins::ovn;
using microcloud::sdk::CommandResult;
using microcloud::sdk::Json;

namespace {

// An OvnConfig with only the run directories set (the rest keep their defaults).
ovn::OvnConfig run_dirs(const std::string& ovs_rundir, const std::string& ovn_rundir) {
    ovn::OvnConfig config;
    config.ovs_rundir = ovs_rundir;
    config.ovn_rundir = ovn_rundir;
    return config;
}

// `--version` outputs captured from Debian 12 (openvswitch 3.1.0, ovn 23.03.1).
const std::vector<std::tuple<std::string, std::string, std::string>> kDebianPrograms = {
    {"ovs-vswitchd", "openvswitch-switch", "ovs-vswitchd (Open vSwitch) 3.1.0\n"},
    {"ovsdb-server", "openvswitch-common", "ovsdb-server (Open vSwitch) 3.1.0\n"},
    {"ovs-vsctl", "openvswitch-switch", "ovs-vsctl (Open vSwitch) 3.1.0\nDB Schema 8.3.1\n"},
    {"ovn-controller", "ovn-host",
     "ovn-controller 23.03.1\nOpen vSwitch Library 3.1.0\nOpenFlow versions 0x6:0x6\nSB DB Schema 20.27.0\n"},
    {"ovn-northd", "ovn-central", "ovn-northd 23.03.1\nOpen vSwitch Library 3.1.0\n"},
    {"ovn-nbctl", "ovn-common", "ovn-nbctl 23.03.1\nOpen vSwitch Library 3.1.0\nDB Schema 7.0.0\n"},
    {"ovn-sbctl", "ovn-common", "ovn-sbctl 23.03.1\nOpen vSwitch Library 3.1.0\nDB Schema 20.27.0\n"},
};

// The Open_vSwitch row of a configured chassis, as ovsdb_select gives it (plain values).
ovn::OvsdbSelect selected_configured_row() {
    const Json row = {{"external_ids",
                       {{"ovn-bridge-datapath-type", "netdev"},
                        {"ovn-encap-ip", "10.0.0.1"},
                        {"ovn-encap-type", "geneve"},
                        {"ovn-remote", "ssl:10.0.0.1:6642"},
                        {"system-id", "m1"}}},
                      {"ovs_version", "3.1.0"},
                      {"datapath_types", {"netdev", "system"}}};
    return ovn::OvsdbSelect{true, {row}, ""};
}

ovn::OvnObservations debian_member() {
    ovn::OvnObservations observed;
    observed.config = run_dirs("/run/openvswitch", "/run/ovn");
    for (const auto& [name, package, output] : kDebianPrograms)
        observed.programs.push_back({name, package, "/usr/bin/" + name, CommandResult{0, output, "", false}, ""});
    observed.database.socket = "/run/openvswitch/db.sock";
    observed.kernel_module_path = "/sys/module/openvswitch";
    observed.daemons.push_back({"ovsdb-server", "/run/openvswitch/ovsdb-server.pid", std::nullopt, false});
    return observed;
}

void remove_program(ovn::OvnObservations& observed, const std::string& name) {
    for (auto& p : observed.programs)
        if (p.name == name) {
            p.path.clear();
            p.run.reset();
        }
}

bool any_contains(const Json& list, const std::string& text) {
    for (const auto& item : list)
        if (item.get<std::string>().find(text) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST(OvnReport, InstalledWithoutRunningDatabaseIsPresent) {
    Json report = ovn::ovn_report(debian_member());
    EXPECT_EQ(report["component"], "OVN");
    EXPECT_EQ(report["present"], true) << report.dump(2);
    EXPECT_TRUE(report["reasons"].empty());
    EXPECT_EQ(report["programs"]["ovs-vsctl"]["version"], "3.1.0");
    EXPECT_EQ(report["programs"]["ovs-vsctl"]["db_schema"], "8.3.1");
    EXPECT_EQ(report["programs"]["ovn-controller"]["sb_db_schema"], "20.27.0");
    EXPECT_EQ(report["programs"]["ovn-northd"]["package"], "ovn-central");
    EXPECT_EQ(report["versions"]["openvswitch"],
              (Json{{"version", "3.1.0"}, {"minimum", "2.17"}, {"supported", true}}));
    EXPECT_EQ(report["versions"]["ovn"]["version"], "23.03.1");
    EXPECT_EQ(report["ovs_rundir"], "/run/openvswitch");

    EXPECT_EQ(report["database"]["reachable"], false);
    EXPECT_NE(report["database"]["error"].get<std::string>().find("no socket at /run/openvswitch/db.sock"),
              std::string::npos);
    EXPECT_TRUE(report["chassis"].is_null());
    EXPECT_EQ(report["datapath"]["kind"], "userspace");
    EXPECT_EQ(report["datapath"]["bridge_datapath_type"], "netdev");
    EXPECT_TRUE(any_contains(report["warnings"], "openvswitch kernel module is not loaded"));
    EXPECT_TRUE(any_contains(report["warnings"], "database is not reachable"));
    EXPECT_EQ(report["daemons"]["ovsdb-server"]["running"], false);
    EXPECT_EQ(report["bridges"], Json::array());  // OVS did not answer
}

TEST(OvnReport, AVersionFromThePackageDatabaseSpeaksForItsComponent) {
    auto observed = debian_member();
    for (auto& p : observed.programs) {
        p.run.reset();
        if (p.name == "ovs-vswitchd") p.package_version = "3.1.0";
        if (p.name == "ovn-controller") p.package_version = "23.03.1";
    }
    const Json report = ovn::ovn_report(observed);
    EXPECT_EQ(report["present"], true) << report.dump(2);
    EXPECT_EQ(report["programs"]["ovs-vswitchd"]["version"], "3.1.0");
    EXPECT_EQ(report["programs"]["ovs-vswitchd"]["version_from"], "package");
    EXPECT_EQ(report["versions"]["openvswitch"]["version"], "3.1.0");
    EXPECT_EQ(report["versions"]["ovn"]["version"], "23.03.1");
    EXPECT_EQ(ovn::ovn_report(debian_member())["programs"]["ovs-vsctl"]["version_from"], "--version");
}

TEST(OvnReport, MissingProgramsAreReasonsNotErrors) {
    auto observed = debian_member();
    remove_program(observed, "ovn-northd");
    remove_program(observed, "ovn-controller");
    Json report = ovn::ovn_report(observed);
    EXPECT_EQ(report["present"], false);
    ASSERT_EQ(report["reasons"].size(), 2u);
    EXPECT_TRUE(any_contains(report["reasons"], "ovn-northd is not installed"));
    EXPECT_TRUE(any_contains(report["reasons"], "Debian package ovn-central"));
    EXPECT_TRUE(any_contains(report["reasons"], "Debian package ovn-host"));
    EXPECT_EQ(report["programs"]["ovn-northd"]["installed"], false);
    EXPECT_TRUE(report["programs"]["ovn-northd"]["path"].is_null());
    EXPECT_EQ(report["versions"]["ovn"]["version"], "23.03.1");  // from the remaining programs
}

TEST(OvnReport, NothingInstalled) {
    auto observed = debian_member();
    for (const auto& [name, package, output] : kDebianPrograms) remove_program(observed, name);
    observed.database.socket_exists = true;
    Json report = ovn::ovn_report(observed);
    EXPECT_EQ(report["present"], false);
    EXPECT_EQ(report["reasons"].size(), kDebianPrograms.size());
    EXPECT_TRUE(report["versions"]["ovn"]["version"].is_null());
    EXPECT_TRUE(any_contains(report["reasons"], "ovs-vsctl is not installed"));
    EXPECT_TRUE(any_contains(report["warnings"], "was not asked"));  // discovery asks only an existing socket
}

TEST(OvnReport, TooOldOpenVswitchIsAReason) {
    auto observed = debian_member();
    for (auto& p : observed.programs)
        if (p.name.rfind("ovs", 0) == 0) p.run->out = p.name + " (Open vSwitch) 2.13.8\n";
    Json report = ovn::ovn_report(observed);
    EXPECT_EQ(report["present"], false);
    EXPECT_EQ(report["versions"]["openvswitch"]["supported"], false);
    EXPECT_TRUE(any_contains(report["reasons"], "Open vSwitch 2.13.8 is older than the oldest supported version 2.17"));
}

TEST(OvnReport, BrokenVersionOutputIsAWarning) {
    auto observed = debian_member();
    observed.programs[0].run = CommandResult{1, "", "ovs-vswitchd: error while loading shared libraries\n", false};
    observed.programs[1].run = CommandResult{0, "garbage\n", "", false};
    observed.programs[2].run.reset();
    observed.programs[2].start_error = "permission denied";
    Json report = ovn::ovn_report(observed);
    EXPECT_EQ(report["present"], true);
    EXPECT_EQ(report["programs"]["ovs-vswitchd"]["error"],
              "exited with status 1: ovs-vswitchd: error while loading shared libraries");
    EXPECT_TRUE(report["programs"]["ovs-vswitchd"]["version"].is_null());
    EXPECT_TRUE(any_contains(report["warnings"], "ovsdb-server --version` printed no version number"));
    EXPECT_TRUE(any_contains(report["warnings"], "could not be started: permission denied"));
    EXPECT_TRUE(report["versions"]["openvswitch"]["version"].is_null());
}

TEST(OvnReport, DifferentVersionsAreAWarning) {
    auto observed = debian_member();
    observed.programs[2].run->out = "ovs-vsctl (Open vSwitch) 3.0.1\n";
    Json report = ovn::ovn_report(observed);
    EXPECT_TRUE(any_contains(report["warnings"], "ovs-vswitchd 3.1.0, ovsdb-server 3.1.0, ovs-vsctl 3.0.1"));
}

TEST(OvnReport, ReachableDatabaseGivesChassisSettings) {
    auto observed = debian_member();
    observed.database.socket_exists = true;
    observed.database.answer = selected_configured_row();
    observed.kernel_module_loaded = true;
    Json report = ovn::ovn_report(observed);
    EXPECT_EQ(report["database"]["reachable"], true);
    EXPECT_EQ(report["database"]["ovs_version"], "3.1.0");
    EXPECT_EQ(report["chassis"]["system-id"], "m1");
    EXPECT_EQ(report["chassis"]["ovn-remote"], "ssl:10.0.0.1:6642");
    EXPECT_EQ(report["chassis"]["ovn-encap-type"], "geneve");
    EXPECT_EQ(report["chassis"]["ovn-encap-ip"], "10.0.0.1");
    EXPECT_EQ(report["chassis"]["ovn-bridge-datapath-type"], "netdev");
    EXPECT_EQ(report["datapath"]["kind"], "kernel");
    EXPECT_EQ(report["datapath"]["bridge_datapath_type"], "system");
    EXPECT_EQ(report["datapath"]["available_types"], (Json{"netdev", "system"}));
    EXPECT_TRUE(report["warnings"].empty()) << report["warnings"].dump();
}

TEST(OvnReport, FailedDatabaseQueryIsAFact) {
    auto observed = debian_member();
    observed.database.socket_exists = true;
    observed.database.answer = ovn::OvsdbSelect{false, {}, "cannot connect to /run/openvswitch/db.sock: Connection refused"};
    Json report = ovn::ovn_report(observed);
    EXPECT_EQ(report["present"], true);
    EXPECT_EQ(report["database"]["reachable"], false);
    EXPECT_EQ(report["database"]["error"], "cannot connect to /run/openvswitch/db.sock: Connection refused");
    EXPECT_TRUE(report["chassis"].is_null());

    observed.database.answer = ovn::OvsdbSelect{true, {}, ""};
    EXPECT_EQ(ovn::ovn_report(observed)["database"]["error"], "the database has 0 Open_vSwitch rows, not one");
}

TEST(OvnReport, BridgesAreListedOrTheFailureIsAWarning) {
    auto observed = debian_member();
    observed.database.socket_exists = true;
    observed.database.answer = selected_configured_row();
    observed.kernel_module_loaded = true;
    observed.bridges.answer = ovn::OvsdbSelect{true, {{{"name", "br-int"}}, {{"name", "br-ex"}}}, ""};
    Json report = ovn::ovn_report(observed);
    EXPECT_EQ(report["bridges"], (Json{"br-int", "br-ex"}));
    EXPECT_TRUE(report["warnings"].empty()) << report["warnings"].dump();

    observed.bridges.answer = ovn::OvsdbSelect{true, {}, ""};
    EXPECT_EQ(ovn::ovn_report(observed)["bridges"], Json::array());

    observed.bridges.answer = ovn::OvsdbSelect{false, {}, "/run/openvswitch/db.sock did not answer transact within 5000 ms"};
    report = ovn::ovn_report(observed);
    EXPECT_EQ(report["bridges"], Json::array());
    EXPECT_TRUE(any_contains(report["warnings"],
                             "The OVS bridges could not be listed: /run/openvswitch/db.sock did not answer transact"));

    observed.bridges.answer.reset();  // not asked: the database did not answer
    EXPECT_EQ(ovn::ovn_report(observed)["bridges"], Json::array());
}
