// tests/unit/plugins/ovn/daemons_test.cpp - the ovn-ctl command lines, OVS external_ids and the
// reading of cluster/status.
#include "ovn_daemons.hpp"
#include "ovn_pki.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace ovn = microcloud::plugins::ovn;

namespace {

ovn::OvnConfig config() {
    ovn::OvnConfig c;
    c.ovs_rundir = "/m/ovs/run";
    c.ovn_rundir = "/m/ovn/run";
    c.ovn_dbdir = "/m/ovn/db";
    c.ovn_logdir = "/m/ovn/log";
    c.ovn_ctl = "/usr/share/ovn/scripts/ovn-ctl";
    c.pki_dir = "/m/ovn/db/microcloud-pki";
    return c;
}

bool has(const std::vector<std::string>& argv, const std::string& arg) {
    return std::find(argv.begin(), argv.end(), arg) != argv.end();
}

TEST(OvnDaemons, TheFirstDatabaseCreatesARaftClusterOverTls) {
    const auto argv = ovn::start_database_argv(config(), ovn::Database::northbound, "10.0.0.11", std::nullopt);
    EXPECT_EQ(argv.front(), "/usr/share/ovn/scripts/ovn-ctl");
    EXPECT_EQ(argv.back(), "start_nb_ovsdb");
    EXPECT_TRUE(has(argv, "--db-nb-file=/m/ovn/db/ovnnb_db.db"));
    EXPECT_TRUE(has(argv, "--db-nb-cluster-local-addr=10.0.0.11"));
    EXPECT_TRUE(has(argv, "--db-nb-cluster-local-port=6643"));
    EXPECT_TRUE(has(argv, "--db-nb-cluster-local-proto=ssl"));
    EXPECT_TRUE(has(argv, "--ovn-nb-db-ssl-key=/m/ovn/db/microcloud-pki/ovn.key"));
    EXPECT_TRUE(has(argv, "--ovn-nb-db-ssl-cert=/m/ovn/db/microcloud-pki/ovn.crt"));
    EXPECT_TRUE(has(argv, "--ovn-nb-db-ssl-ca-cert=/m/ovn/db/microcloud-pki/ca.crt"));
    for (const auto& arg : argv) EXPECT_EQ(arg.find("remote-addr"), std::string::npos) << arg;
    for (const auto& arg : argv) EXPECT_EQ(arg.find("insecure"), std::string::npos) << arg;
}

TEST(OvnDaemons, AJoiningDatabaseJoinsThroughACentral) {
    const auto argv = ovn::start_database_argv(config(), ovn::Database::southbound, "fd00::12", "10.0.0.11");
    EXPECT_EQ(argv.back(), "start_sb_ovsdb");
    EXPECT_TRUE(has(argv, "--db-sb-cluster-local-addr=[fd00::12]"));
    EXPECT_TRUE(has(argv, "--db-sb-cluster-local-port=6644"));
    EXPECT_TRUE(has(argv, "--db-sb-cluster-remote-addr=10.0.0.11"));
    EXPECT_TRUE(has(argv, "--db-sb-cluster-remote-port=6644"));
    EXPECT_TRUE(has(argv, "--db-sb-cluster-remote-proto=ssl"));
}

TEST(OvnDaemons, NorthdReachesEveryCentralOverTlsAndLeavesTheDatabasesAlone) {
    const auto argv = ovn::start_northd_argv(config(), {{"m1", "10.0.0.11"}, {"m2", "10.0.0.12"}});
    EXPECT_EQ(argv.back(), "start_northd");
    EXPECT_TRUE(has(argv, "--ovn-manage-ovsdb=no"));
    EXPECT_TRUE(has(argv, "--ovn-northd-nb-db=ssl:10.0.0.11:6641,ssl:10.0.0.12:6641"));
    EXPECT_TRUE(has(argv, "--ovn-northd-sb-db=ssl:10.0.0.11:6642,ssl:10.0.0.12:6642"));
    EXPECT_TRUE(has(argv, "--ovn-northd-ssl-key=/m/ovn/db/microcloud-pki/ovn.key"));
}

TEST(OvnDaemons, TheControllerUsesTheMembersCertificate) {
    const auto argv = ovn::start_controller_argv(config());
    EXPECT_EQ(argv.back(), "start_controller");
    EXPECT_TRUE(has(argv, "--ovn-controller-ssl-cert=/m/ovn/db/microcloud-pki/ovn.crt"));
    EXPECT_EQ(ovn::stop_argv(config(), "controller"),
              (std::vector<std::string>{"/usr/share/ovn/scripts/ovn-ctl", "stop_controller"}));
}

TEST(OvnDaemons, TheEnvironmentNamesThisMembersDirectories) {
    const auto env = ovn::ovn_environment(config());
    EXPECT_EQ(env.at("OVN_RUNDIR"), "/m/ovn/run");
    EXPECT_EQ(env.at("OVN_DBDIR"), "/m/ovn/db");
    EXPECT_EQ(env.at("OVN_LOGDIR"), "/m/ovn/log");
    EXPECT_EQ(env.at("OVS_RUNDIR"), "/m/ovs/run");
    EXPECT_EQ(ovn::database_control(config(), ovn::Database::southbound), "/m/ovn/run/ovnsb_db.ctl");
}

TEST(OvnDaemons, ChassisSettingsNameTheMemberTheSouthboundAndTheTunnelAddress) {
    const auto ids = ovn::chassis_external_ids("m2", {{"m1", "10.0.0.11"}, {"m3", "10.0.0.13"}}, "10.1.0.12", true);
    EXPECT_EQ(ids.at("system-id"), "m2");
    EXPECT_EQ(ids.at("hostname"), "m2");
    EXPECT_EQ(ids.at("ovn-remote"), "ssl:10.0.0.11:6642,ssl:10.0.0.13:6642");
    EXPECT_EQ(ids.at("ovn-encap-type"), "geneve");
    EXPECT_EQ(ids.at("ovn-encap-ip"), "10.1.0.12");
    EXPECT_EQ(ids.at("ovn-bridge-datapath-type"), "netdev");
    EXPECT_FALSE(ovn::chassis_external_ids("m2", {}, "10.1.0.12", false).contains("ovn-bridge-datapath-type"));
}

TEST(OvnDaemons, ClusterStatusIsRead) {
    const std::string text =
        "e1f2\nName: OVN_Northbound\nCluster ID: 6c0b (6c0bb5b9-0000)\nServer ID: e1f2 (e1f2aa)\n"
        "Address: ssl:10.0.0.11:6643\nStatus: cluster member\nRole: leader\nTerm: 2\nLeader: self\nVote: self\n\n"
        "Last Election started 123 ms ago, reason: timeout\nElection timer: 1000\nLog: [2, 7]\n"
        "Servers:\n    e1f2 (e1f2 at ssl:10.0.0.11:6643) (self) next_index=2 match_index=6\n"
        "    abcd (abcd at ssl:10.0.0.12:6643) next_index=7 match_index=6 last msg 100 ms ago\n";
    const auto status = ovn::parse_raft_status(text);
    ASSERT_TRUE(status);
    EXPECT_EQ(status->status, "cluster member");
    EXPECT_EQ(status->role, "leader");
    EXPECT_EQ(status->leader, "self");
    EXPECT_EQ(status->servers, (std::vector<std::string>{"ssl:10.0.0.11:6643", "ssl:10.0.0.12:6643"}));
    EXPECT_FALSE(ovn::parse_raft_status("ovs-appctl: cannot connect"));
}

TEST(OvnPki, CertificatesAreEcSignedByTheClusterCa) {
    const auto ca = ovn::ca_argv("/p");
    EXPECT_TRUE(has(ca, "-x509"));
    EXPECT_TRUE(has(ca, "/p/ca.key"));
    EXPECT_TRUE(has(ca, "ec_paramgen_curve:prime256v1"));
    const auto request = ovn::request_argv("/p", "ovn", "m2");
    EXPECT_TRUE(has(request, "/p/ovn.key"));
    EXPECT_TRUE(has(request, "/CN=m2"));
    const auto sign = ovn::sign_argv("/p", "ovn", "0x01");
    EXPECT_TRUE(has(sign, "/p/ca.crt"));
    EXPECT_TRUE(has(sign, "/p/ovn.crt"));
    EXPECT_TRUE(has(sign, "0x01"));
}

}  // namespace
