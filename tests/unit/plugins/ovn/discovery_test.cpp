// tests/unit/plugins/ovn/discovery_test.cpp - observe_ovn() on a fake member: fake programs,
// a stand-in ovsdb-server on db.sock, fake /sys and /proc trees, and a scripted command runner.
#include "fake_jsonrpc_daemon.hpp"
#include "ovn_discovery.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace ovn = microcloud::plugins::ovn;
namespace fs = std::filesystem;
using microcloud::sdk::CommandOptions;
using microcloud::sdk::CommandResult;
using microcloud::sdk::Json;
using microcloud::testing::FakeJsonRpcDaemon;
using microcloud::testing::TempDir;

namespace {

// An OvnConfig with only the run directories set (the rest keep their defaults).
ovn::OvnConfig run_dirs(const std::string& ovs_rundir, const std::string& ovn_rundir) {
    ovn::OvnConfig config;
    config.ovs_rundir = ovs_rundir;
    config.ovn_rundir = ovn_rundir;
    return config;
}

// A listening unix socket that closes with the object.
class UnixSocket {
public:
    explicit UnixSocket(const fs::path& path) : fd_(::socket(AF_UNIX, SOCK_STREAM, 0)) {
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
        if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 1) != 0)
            throw std::runtime_error("cannot create a unix socket at " + path.string());
    }
    ~UnixSocket() { ::close(fd_); }
    UnixSocket(const UnixSocket&) = delete;
    UnixSocket& operator=(const UnixSocket&) = delete;

private:
    int fd_;
};

// What ovsdb-server answers to the selects of the Open_vSwitch row and of the bridges.
std::vector<std::string> ovsdb_answer(const nlohmann::json& request) {
    if (request["params"][1]["table"] == "Bridge")
        return {R"({"id":0,"error":null,"result":[{"rows":[{"name":"br-int"},{"name":"br-ovn"}]}]})"};
    return {R"({"id":0,"error":null,"result":[{"rows":[{"external_ids":["map",[["ovn-encap-ip","192.0.2.10"],)"
            R"(["system-id","member-1"]]],"ovs_version":["set",[]],"datapath_types":["set",["netdev","system"]]}]}]})"};
}

}  // namespace

TEST(OvnDiscovery, ObservesAFakeMember) {
    TempDir tmp;
    for (const char* name :
         {"ovs-vswitchd", "ovsdb-server", "ovs-vsctl", "ovn-controller", "ovn-northd", "ovn-nbctl", "ovn-sbctl"})
        ::chmod(tmp.write(std::string("bin/") + name, "").c_str(), 0755);
    auto ovs_rundir = tmp.mkdir("run/openvswitch");
    auto ovn_rundir = tmp.mkdir("run/ovn");
    FakeJsonRpcDaemon db((ovs_rundir / "db.sock").string(), ovsdb_answer);
    tmp.write("run/openvswitch/ovsdb-server.pid", "77\n");
    tmp.write("run/ovn/ovn-controller.pid", "78\n");
    tmp.mkdir("proc/77");
    tmp.mkdir("sys/module/openvswitch");

    std::vector<std::vector<std::string>> calls;
    ovn::CommandRunner runner = [&](const std::vector<std::string>& argv, const CommandOptions&) {
        calls.push_back(argv);
        auto program = fs::path(argv[0]).filename().string();
        if (argv.size() == 2 && argv[1] == "--version") {
            bool is_ovs = program.rfind("ovs", 0) == 0;
            return CommandResult{0, is_ovs ? program + " (Open vSwitch) 3.1.0\n" : program + " 23.03.1\n", "", false};
        }
        return CommandResult{1, "", "not expected\n", false};
    };
    ovn::SystemRoots roots{tmp.path() / "sys", tmp.path() / "proc", (tmp.path() / "bin").string()};
    ovn::OvnConfig config = run_dirs(ovs_rundir.string(), ovn_rundir.string());

    auto observed = ovn::observe_ovn(config, runner, roots);
    // One --version run per component (ovs-vsctl for Open vSwitch, ovn-nbctl for OVN); the
    // Open_vSwitch row and the bridges are asked of the database socket, no process.
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0], (std::vector<std::string>{(tmp.path() / "bin/ovs-vsctl").string(), "--version"}));
    EXPECT_EQ(calls[1], (std::vector<std::string>{(tmp.path() / "bin/ovn-nbctl").string(), "--version"}));
    const auto asked = db.requests();
    ASSERT_EQ(asked.size(), 2u);
    EXPECT_EQ(asked[0]["params"][1]["table"], "Open_vSwitch");
    EXPECT_EQ(asked[1]["params"][1]["table"], "Bridge");

    Json report = ovn::ovn_report(observed);
    EXPECT_EQ(report["present"], true) << report.dump(2);
    EXPECT_EQ(report["versions"]["openvswitch"]["version"], "3.1.0");
    EXPECT_EQ(report["versions"]["ovn"]["version"], "23.03.1");
    EXPECT_EQ(report["programs"]["ovn-northd"]["installed"], true);  // looked for, not asked
    EXPECT_TRUE(report["programs"]["ovn-northd"]["version"].is_null());
    EXPECT_TRUE(report["warnings"].empty()) << report["warnings"].dump();
    EXPECT_EQ(report["database"]["reachable"], true);
    EXPECT_TRUE(report["database"]["ovs_version"].is_null());  // never set by ovs-ctl here
    EXPECT_EQ(report["chassis"]["system-id"], "member-1");
    EXPECT_EQ(report["chassis"]["ovn-encap-ip"], "192.0.2.10");
    EXPECT_TRUE(report["chassis"]["ovn-remote"].is_null());
    EXPECT_EQ(report["datapath"]["kind"], "kernel");
    EXPECT_EQ(report["daemons"]["ovsdb-server"]["running"], true);
    EXPECT_EQ(report["daemons"]["ovn-controller"]["pid"], 78);
    EXPECT_EQ(report["daemons"]["ovn-controller"]["running"], false);
    EXPECT_EQ(report["daemons"]["ovn-northd"]["pid"], nullptr);
    EXPECT_EQ(report["bridges"], (Json{"br-int", "br-ovn"}));
}

TEST(OvnDiscovery, AProgramThatGivesNoVersionLeavesItToTheNextOfItsComponent) {
    TempDir tmp;
    for (const char* name : {"ovs-vsctl", "ovs-vswitchd", "ovsdb-server"})
        ::chmod(tmp.write(std::string("bin/") + name, "").c_str(), 0755);
    std::vector<std::string> asked;
    ovn::CommandRunner runner = [&](const std::vector<std::string>& argv, const CommandOptions&) {
        const auto program = fs::path(argv[0]).filename().string();
        asked.push_back(program);
        if (program == "ovs-vsctl") return CommandResult{1, "", "broken\n", false};
        if (program == "ovs-vswitchd") return CommandResult{0, "no version here\n", "", false};
        return CommandResult{0, program + " (Open vSwitch) 3.1.0\n", "", false};
    };
    ovn::SystemRoots roots{tmp.path() / "sys", tmp.path() / "proc", (tmp.path() / "bin").string()};
    auto observed = ovn::observe_ovn(run_dirs((tmp.path() / "ovs").string(), (tmp.path() / "ovn").string()), runner, roots);
    // (OVN's programs may be found in the standard directories here: only Open vSwitch's are checked.)
    // ovs-vsctl fails, ovs-vswitchd exits 0 without a version: ovsdb-server speaks for Open vSwitch.
    ASSERT_GE(asked.size(), 3u);
    EXPECT_EQ(asked[0], "ovs-vsctl");
    EXPECT_EQ(asked[1], "ovs-vswitchd");
    EXPECT_EQ(asked[2], "ovsdb-server");
    Json report = ovn::ovn_report(observed);
    EXPECT_EQ(report["versions"]["openvswitch"]["version"], "3.1.0");
    EXPECT_EQ(report["programs"]["ovs-vsctl"]["error"], "exited with status 1: broken");
}

TEST(OvnDiscovery, UnansweredDatabaseIsNotAskedForBridges) {
    TempDir tmp;
    ::chmod(tmp.write("bin/ovs-vsctl", "").c_str(), 0755);
    auto ovs_rundir = tmp.mkdir("run/openvswitch");
    UnixSocket db(ovs_rundir / "db.sock");  // listens but never answers, as a hung ovsdb-server
    ovn::CommandRunner runner = [&](const std::vector<std::string>&, const CommandOptions&) {
        return CommandResult{0, "ovs-vsctl (Open vSwitch) 3.1.0\n", "", false};
    };
    ovn::SystemRoots roots{tmp.path() / "sys", tmp.path() / "proc", (tmp.path() / "bin").string()};
    ovn::OvnConfig config = run_dirs(ovs_rundir.string(), (tmp.path() / "ovn").string());
    auto observed = ovn::observe_ovn(config, runner, roots);
    ASSERT_TRUE(observed.database.answer);
    EXPECT_FALSE(observed.database.answer->ok);
    EXPECT_NE(observed.database.answer->error.find("did not answer transact"), std::string::npos)
        << observed.database.answer->error;
    EXPECT_FALSE(observed.bridges.answer);
    EXPECT_EQ(ovn::ovn_report(observed)["bridges"], Json::array());
}

TEST(OvnDiscovery, NoSocketMeansNoQuery) {
    TempDir tmp;
    ::chmod(tmp.write("bin/ovs-vsctl", "").c_str(), 0755);
    ovn::CommandRunner runner = [&](const std::vector<std::string>&, const CommandOptions&) {
        return CommandResult{0, "x 1.0\n", "", false};
    };
    ovn::SystemRoots roots{tmp.path() / "sys", tmp.path() / "proc", (tmp.path() / "bin").string()};
    auto observed =
        ovn::observe_ovn(run_dirs((tmp.path() / "nothing").string(), (tmp.path() / "nothing").string()), runner, roots);
    EXPECT_FALSE(observed.database.answer);
    EXPECT_FALSE(observed.database.socket_exists);
    EXPECT_FALSE(observed.kernel_module_loaded);
}
