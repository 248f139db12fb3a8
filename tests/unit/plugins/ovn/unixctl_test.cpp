// tests/unit/plugins/ovn/unixctl_test.cpp - unixctl requests against a stand-in control socket that
// answers as ovsdb-server and ovn-controller do (JSON-RPC 1.0 over a unix stream socket, the
// connection left open): results in pieces, errors, silence, no socket; the pid file lookup.
#include "fake_jsonrpc_daemon.hpp"
#include "temp_dir.hpp"
#include "unixctl.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <functional>
#include <memory>
#include <thread>

namespace ovn = microcloud::plugins::ovn;
using microcloud::testing::TempDir;
using FakeDaemon = microcloud::testing::FakeJsonRpcDaemon;

TEST(Unixctl, ResultInPiecesIsTheReplyText) {
    TempDir tmp;
    const std::string path = (tmp.path() / "ovnnb_db.ctl").string();
    const std::string reply =
        nlohmann::json{{"id", 0}, {"error", nullptr}, {"result", "Name: OVN_Northbound\nStatus: cluster member\n"}}.dump();
    FakeDaemon daemon(path, [&](const nlohmann::json&) {
        return std::vector<std::string>{reply.substr(0, 10), reply.substr(10, 30), reply.substr(40)};
    });
    const ovn::UnixctlReply got = ovn::unixctl_call(path, "cluster/status", {"OVN_Northbound"}, std::chrono::seconds(5));
    // The request as ovs-appctl sends it.
    const auto requests = daemon.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].value("method", ""), "cluster/status") << requests[0].dump();
    EXPECT_EQ(requests[0]["params"], nlohmann::json::array({"OVN_Northbound"}));
    EXPECT_TRUE(requests[0].contains("id"));
    EXPECT_TRUE(got.answered);
    EXPECT_TRUE(got.ok);
    EXPECT_EQ(got.text, "Name: OVN_Northbound\nStatus: cluster member\n");
}

TEST(Unixctl, AnErrorReplyIsAnsweredButNotOk) {
    TempDir tmp;
    const std::string path = (tmp.path() / "ovnsb_db.ctl").string();
    FakeDaemon daemon(path, [](const nlohmann::json&) {
        return std::vector<std::string>{R"({"id":0,"result":null,"error":"\"cluster/statu\" is not a valid command"})"};
    });
    const ovn::UnixctlReply got = ovn::unixctl_call(path, "cluster/statu", {}, std::chrono::seconds(5));
    EXPECT_TRUE(got.answered);
    EXPECT_FALSE(got.ok);
    EXPECT_EQ(got.text, "\"cluster/statu\" is not a valid command");
}

TEST(Unixctl, SilenceEndsAtTheDeadlineAndSaysSo) {
    TempDir tmp;
    const std::string path = (tmp.path() / "silent.ctl").string();
    FakeDaemon daemon(path, [](const nlohmann::json&) { return std::vector<std::string>{R"({"id":0,)"}; });
    const ovn::UnixctlReply got = ovn::unixctl_call(path, "connection-status", {}, std::chrono::milliseconds(200));
    EXPECT_FALSE(got.answered);
    EXPECT_NE(got.text.find("did not answer connection-status within 200 ms"), std::string::npos) << got.text;
}

TEST(Unixctl, NoSocketIsNamed) {
    TempDir tmp;
    const std::string path = (tmp.path() / "absent.ctl").string();
    const auto got = ovn::unixctl_call(path, "cluster/status", {"OVN_Southbound"}, std::chrono::seconds(1));
    EXPECT_FALSE(got.answered);
    EXPECT_NE(got.text.find("cannot connect to " + path), std::string::npos) << got.text;
    EXPECT_FALSE(ovn::unixctl_call("", "x", {}, std::chrono::seconds(1)).answered);
}

TEST(Unixctl, ControlSocketOfADaemonComesFromItsPidFile) {
    TempDir tmp;
    const std::string rundir = tmp.path().string();
    EXPECT_EQ(ovn::daemon_control_socket(rundir, "ovn-controller"), "");
    tmp.write("ovn-controller.pid", "4321\n");
    EXPECT_EQ(ovn::daemon_control_socket(rundir, "ovn-controller"), rundir + "/ovn-controller.4321.ctl");
    tmp.write("ovn-controller.pid", "garbage\n");
    EXPECT_EQ(ovn::daemon_control_socket(rundir, "ovn-controller"), "");
}

TEST(OvsdbSelect, RowsComeBackWithPlainValues) {
    TempDir tmp;
    const std::string path = (tmp.path() / "db.sock").string();
    FakeDaemon daemon(path, [](const nlohmann::json&) {
        return std::vector<std::string>{
            R"({"id":0,"error":null,"result":[{"rows":[{"external_ids":["map",[["system-id","m1"]]],)"
            R"("ovs_version":["set",[]],"datapath_types":["set",["netdev","system"]]}]}]})"};
    });
    const auto got = ovn::ovsdb_select(path, "Open_vSwitch", "Open_vSwitch", {"external_ids", "ovs_version"},
                                       std::chrono::seconds(5));
    ASSERT_TRUE(got.ok) << got.error;
    ASSERT_EQ(got.rows.size(), 1u);
    EXPECT_EQ(got.rows[0]["external_ids"], (nlohmann::json{{"system-id", "m1"}}));
    EXPECT_EQ(got.rows[0]["ovs_version"], nlohmann::json::array());
    EXPECT_EQ(got.rows[0]["datapath_types"], (nlohmann::json{"netdev", "system"}));
    // The transaction as ovs-vsctl would send it: one select of the asked columns.
    const auto request = daemon.requests().at(0);
    EXPECT_EQ(request["method"], "transact");
    EXPECT_EQ(request["params"][0], "Open_vSwitch");
    EXPECT_EQ(request["params"][1]["op"], "select");
    EXPECT_EQ(request["params"][1]["table"], "Open_vSwitch");
    EXPECT_EQ(request["params"][1]["columns"], (nlohmann::json{"external_ids", "ovs_version"}));
}

TEST(OvsdbSelect, TheDatabasesRefusalIsNamed) {
    TempDir tmp;
    const std::string path = (tmp.path() / "db.sock").string();
    FakeDaemon daemon(path, [](const nlohmann::json& request) {
        if (request["params"][0] == "Nope")
            return std::vector<std::string>{R"({"id":0,"result":null,"error":{"error":"unknown database"}})"};
        return std::vector<std::string>{
            R"({"id":0,"error":null,"result":[{"error":"syntax error","details":"Bridges is not a table"}]})"};
    });
    const auto bad_table = ovn::ovsdb_select(path, "Open_vSwitch", "Bridges", {"name"}, std::chrono::seconds(5));
    EXPECT_FALSE(bad_table.ok);
    EXPECT_EQ(bad_table.error, "the database refused to list Bridges: syntax error (Bridges is not a table)");
    const auto bad_database = ovn::ovsdb_select(path, "Nope", "Bridge", {"name"}, std::chrono::seconds(5));
    EXPECT_FALSE(bad_database.ok);
    EXPECT_NE(bad_database.error.find("unknown database"), std::string::npos) << bad_database.error;
}
