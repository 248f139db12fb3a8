// tests/unit/plugins/lxd/lxd_plugin_test.cpp - LxdPlugin's hooks run against a fake host.
#include "lxd_plugin.hpp"
#include "fake_host.hpp"
#include "test_data.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <utility>

namespace microcloud::plugins::lxd {
namespace {

using sdk::Json;

const std::string socket = "/tmp/lxd-test/unix.socket";

// A system with the given environment and existing paths.
SystemView system_with(std::map<std::string, std::string> env, std::set<std::string> paths) {
    SystemView view;
    view.env = [env = std::move(env)](const std::string& name) -> std::optional<std::string> {
        auto it = env.find(name);
        if (it == env.end()) return std::nullopt;
        return it->second;
    };
    view.exists = [paths = std::move(paths)](const std::string& path) { return paths.count(path) > 0; };
    return view;
}

void answer_like_a_real_lxd(test::FakeHost& host) {
    host.answer_command("lxd --version", 0, "5.0.2\n");
    host.answer_http(socket, "/1.0", 200, test::read_data("get_1.0.json"));
    host.answer_http(socket, "/1.0/storage-pools?recursion=1", 200, test::read_data("storage_pools_recursion.json"));
    host.answer_http(socket, "/1.0/networks?recursion=1", 200, test::read_data("networks_recursion.json"));
}

TEST(LxdPlugin, DiscoversARunningLxdThroughLxdDir) {
    test::FakeHost host;
    answer_like_a_real_lxd(host);
    LxdPlugin plugin(Json::object(), system_with({{"LXD_DIR", "/tmp/lxd-test"}}, {socket}));
    auto ctx = host.context();
    const Json r = plugin.discover(ctx);
    EXPECT_EQ(r.at("present"), true);
    EXPECT_EQ(r.at("running"), true);
    EXPECT_EQ(r.at("installed"), true);
    EXPECT_EQ(r.at("socket"), socket);
    EXPECT_EQ(r.at("socket_source"), "LXD_DIR");
    EXPECT_EQ(r.at("version"), "5.0.2");
    EXPECT_EQ(r.at("clustered"), false);
    EXPECT_EQ(r.at("server_name"), "vm");
    EXPECT_EQ(r.at("api_extensions").size(), 318u);
    EXPECT_EQ(r.at("environment").at("driver"), "lxc");
    EXPECT_EQ(r.at("storage_pools")[0].at("name"), "local");
    EXPECT_EQ(r.at("networks")[0].at("name"), "lxdbr0");
    EXPECT_EQ(r.at("reasons"), Json::array());
    EXPECT_EQ(r.at("program_version"), "5.0.2");  // the server's: `lxd --version` is not run when LXD answers
    EXPECT_EQ(host.commands, std::vector<std::string>{});
    // Nothing readable and no /sys/module entries in this fake system.
    EXPECT_EQ(r.at("kernel"), (Json{{"rbd", false}, {"ceph", false}, {"device_mapper", false}}));
}

TEST(LxdPlugin, DiscoveryForStatusAsksOnlyTheServer) {
    test::FakeHost host;
    answer_like_a_real_lxd(host);
    host.set_input({{"purpose", "status"}});
    host.set_member_facts({{"disks", Json::array({{{"path", "/dev/sdb"}, {"id", "/dev/disk/by-id/x"}}})}});
    LxdPlugin plugin(Json::object(), system_with({{"LXD_DIR", "/tmp/lxd-test"}}, {socket}));
    auto ctx = host.context();
    const Json r = plugin.discover(ctx);
    EXPECT_EQ(r.at("running"), true);
    EXPECT_EQ(r.at("version"), "5.0.2");
    EXPECT_FALSE(r.contains("storage_pools"));
    EXPECT_FALSE(r.contains("networks"));
    // The plan's facts: neither the member's disks and interfaces nor the kernel modules.
    EXPECT_FALSE(r.contains("disks"));
    EXPECT_FALSE(r.contains("interfaces"));
    EXPECT_FALSE(r.contains("kernel"));
    EXPECT_EQ(host.requests, std::vector<std::string>{socket + std::string(" GET /1.0")});
}

TEST(LxdPlugin, ConfiguredSocketBeatsLxdDir) {
    test::FakeHost host;
    answer_like_a_real_lxd(host);
    LxdPlugin plugin(Json{{"socket", socket}}, system_with({{"LXD_DIR", "/elsewhere"}}, {socket}));
    auto ctx = host.context();
    const Json r = plugin.discover(ctx);
    EXPECT_EQ(r.at("socket_source"), "config");
    EXPECT_EQ(r.at("running"), true);
}

TEST(LxdPlugin, AbsentLxdIsAReportNotAnError) {
    test::FakeHost host;
    LxdPlugin plugin(Json::object(), system_with({}, {}));
    auto ctx = host.context();
    const Json r = plugin.discover(ctx);
    EXPECT_EQ(r.at("present"), false);
    EXPECT_EQ(r.at("running"), false);
    EXPECT_EQ(r.at("sockets_tried"), Json::array({"/var/snap/lxd/common/lxd/unix.socket", "/var/lib/lxd/unix.socket"}));
    EXPECT_EQ(r.at("reasons").size(), 2u);
    EXPECT_TRUE(host.requests.empty());
}

TEST(LxdPlugin, WithoutASocketTheProgramIsOnlyLookedFor) {
    test::FakeHost host;
    LxdPlugin plugin(Json::object(), system_with({{"PATH", "/opt/x/bin"}}, {"/usr/bin/lxd"}));
    auto ctx = host.context();
    const Json r = plugin.discover(ctx);
    EXPECT_EQ(r.at("installed"), true);
    EXPECT_EQ(r.at("running"), false);
    EXPECT_FALSE(r.contains("program_version"));  // asked only of an LXD that runs
    EXPECT_TRUE(host.commands.empty());
    EXPECT_TRUE(host.requests.empty());
}

TEST(LxdPlugin, StaleSocketMeansInstalledButNotRunning) {
    test::FakeHost host;
    host.answer_command("lxd --version", 0, "5.0.2\n");
    LxdPlugin plugin(Json::object(), system_with({}, {"/var/lib/lxd/unix.socket"}));
    auto ctx = host.context();
    const Json r = plugin.discover(ctx);
    EXPECT_EQ(r.at("present"), true);
    EXPECT_EQ(r.at("running"), false);
    EXPECT_EQ(r.at("socket_source"), "package");
    ASSERT_EQ(r.at("reasons").size(), 1u);
    EXPECT_NE(r.at("reasons")[0].get<std::string>().find("Connection refused"), std::string::npos);
    EXPECT_EQ(host.requests, std::vector<std::string>{"/var/lib/lxd/unix.socket GET /1.0"});
}

TEST(LxdPlugin, UnknownConfigKeyStopsCreation) {
    EXPECT_THROW(LxdPlugin(Json{{"sock", "/x"}}, system_with({}, {})), sdk::Error);
}

TEST(LxdPlugin, HooksThatNeedLxdSayItIsNotRunning) {
    test::FakeHost host;
    LxdPlugin plugin(Json::object(), system_with({{"LXD_DIR", "/tmp/lxd-test"}}, {}));
    auto ctx = host.context();
    for (auto hook : {&LxdPlugin::teardown, &LxdPlugin::configure}) {
        try {
            (plugin.*hook)(ctx);
            FAIL() << "a hook ran without LXD";
        } catch (const sdk::Error& e) {
            EXPECT_EQ(e.code(), "lxd_unavailable") << e.what();
            EXPECT_NE(std::string(e.what()).find(socket), std::string::npos) << e.what();
        }
    }
}

TEST(LxdPlugin, JoinAndTokenCheckTheirInputFirst) {
    test::FakeHost host;
    LxdPlugin plugin(Json::object(), system_with({{"LXD_DIR", "/tmp/lxd-test"}}, {socket}));
    auto ctx = host.context();
    for (auto hook : {&LxdPlugin::join, &LxdPlugin::issue_token}) {
        try {
            (plugin.*hook)(ctx);
            FAIL() << "a hook ran without its input";
        } catch (const sdk::Error& e) {
            EXPECT_EQ(e.code(), "invalid_input") << e.what();
        }
    }
    EXPECT_TRUE(host.requests.empty());
}

const std::string ok_sync =
    R"({"type":"sync","status":"Success","status_code":200,"error_code":0,"error":"","metadata":{}})";

std::string sync_with(const Json& metadata) {
    return Json{{"type", "sync"}, {"status", "Success"}, {"status_code", 200}, {"metadata", metadata}}.dump();
}

// The requests made, without the socket: "METHOD path".
std::vector<std::string> calls(const test::FakeHost& host) {
    std::vector<std::string> out;
    for (const auto& r : host.requests) out.push_back(r.substr(socket.size() + 1));
    return out;
}

TEST(LxdPlugin, ConfigureCreatesInTwoPhasesAndARollbackTakesItBack) {
    test::FakeHost host;
    host.answer_http(socket, "/1.0", 200, test::read_data("get_1.0.json"));
    host.answer_http(socket, "/1.0/storage-pools?recursion=1", 200, sync_with(Json::array()));
    host.answer_http(socket, "/1.0/storage-pools/local", 404,
                     R"({"type":"error","error":"Storage pool not found","error_code":404,"metadata":null})");
    for (const char* path : {"/1.0/storage-pools?target=m1", "/1.0/storage-pools?target=m2", "/1.0/storage-pools"})
        host.answer_request(socket, "POST", path, 200, ok_sync);
    host.answer_http(
        socket, "/1.0/profiles/default", 200,
        sync_with({{"config", Json::object()}, {"description", "Default LXD profile"}, {"devices", Json::object()}}));
    host.answer_request(socket, "PUT", "/1.0/profiles/default", 200, ok_sync);
    host.set_input({{"member", {{"name", "m1"}}},
                    {"members", {"m1", "m2"}},
                    {"config", Json::object()},
                    {"preseed", {{"systems", Json::array({{{"name", "m1"}}, {{"name", "m2"}}})}}},
                    {"published", Json::object()}});
    LxdPlugin plugin(Json::object(), system_with({{"LXD_DIR", "/tmp/lxd-test"}}, {socket}));
    auto ctx = host.context();
    const Json report = plugin.configure(ctx);
    EXPECT_EQ(report.at("created"), Json::array({"storage-pool local (dir)"}));
    EXPECT_EQ(report.at("profile_devices").at("root").at("pool"), "local");
    EXPECT_EQ(calls(host), (std::vector<std::string>{
                               "GET /1.0", "GET /1.0/storage-pools?recursion=1", "GET /1.0/storage-pools/local",
                               "POST /1.0/storage-pools?target=m1", "POST /1.0/storage-pools?target=m2",
                               "POST /1.0/storage-pools", "GET /1.0/profiles/default", "PUT /1.0/profiles/default"}));

    // The run fails later: the rollback restores the profile and deletes the pool it created.
    host.requests.clear();
    host.answer_http(socket, "/1.0/storage-pools/local", 200, sync_with({{"name", "local"}, {"status", "Created"}}));
    host.answer_request(socket, "DELETE", "/1.0/storage-pools/local", 200, ok_sync);
    host.set_input({{"member", {{"name", "m1"}}}, {"mode", "rollback"}, {"force", true}});
    auto rollback = host.context();
    const Json undone = plugin.teardown(rollback);
    EXPECT_EQ(undone.at("undone"), Json::array({"profile default", "storage-pool local"}));
    EXPECT_EQ(undone.at("left"), false);  // this LXD was never clustered
    EXPECT_EQ(calls(host), (std::vector<std::string>{"GET /1.0", "GET /1.0/profiles/default", "PUT /1.0/profiles/default",
                                                     "GET /1.0/storage-pools/local", "DELETE /1.0/storage-pools/local"}));
}

TEST(LxdPlugin, ValidateNeedsNoLxdAndFindsNoProblemInAnEmptyPlan) {
    test::FakeHost host;
    LxdPlugin plugin(Json::object(), system_with({}, {}));
    auto ctx = host.context();
    EXPECT_EQ(plugin.validate(ctx), Json::array());
}

TEST(LxdPlugin, ConfigureSaysWhatItLeavesOutAndKeepsTheCephPoolOnRollback) {
    test::FakeHost host;
    host.answer_http(socket, "/1.0", 200, test::read_data("get_1.0.json"));
    host.answer_http(socket, "/1.0/storage-pools?recursion=1", 200, sync_with(Json::array()));
    const std::string not_found =
        R"({"type":"error","error":"Storage pool not found","error_code":404,"metadata":null})";
    host.answer_http(socket, "/1.0/storage-pools/local", 404, not_found);
    host.answer_http(socket, "/1.0/storage-pools/remote", 404, not_found);
    for (const char* path : {"/1.0/storage-pools?target=m1", "/1.0/storage-pools"})
        host.answer_request(socket, "POST", path, 200, ok_sync);
    host.answer_request(socket, "PATCH", "/1.0/storage-pools/remote", 200, ok_sync);
    host.answer_http(
        socket, "/1.0/profiles/default", 200,
        sync_with({{"config", Json::object()}, {"description", "Default LXD profile"}, {"devices", Json::object()}}));
    host.answer_request(socket, "PUT", "/1.0/profiles/default", 200, ok_sync);
    // The lab: Ceph published a pool and a file system; the kernel has neither rbd nor ceph.
    host.set_input({{"member", {{"name", "m1"}}},
                    {"members", {"m1"}},
                    {"bootstrap", true},
                    {"config", Json::object()},
                    {"preseed", {{"systems", Json::array({{{"name", "m1"}}})}}},
                    {"discovery", {{"m1", {{"kernel", {{"rbd", false}, {"ceph", false}, {"device_mapper", false}}}}}}},
                    {"published",
                     {{"ceph", {{"cluster_name", "ceph"}, {"user", "admin"}}},
                      {"ceph.configure", {{"pool", "lxd_remote"}, {"cephfs", "lxd_cephfs"}}}}}});
    LxdPlugin plugin(Json::object(), system_with({{"LXD_DIR", "/tmp/lxd-test"}}, {socket}));
    auto ctx = host.context();
    const Json report = plugin.configure(ctx);
    EXPECT_EQ(report.at("created"), Json::array({"storage-pool local (dir)", "storage-pool remote (ceph)"}));
    EXPECT_EQ(report.at("profile_devices").at("root").at("pool"), "local");
    EXPECT_EQ(
        report.at("notes"),
        Json::array({"root disk stays on pool \"local\": the kernel of m1 cannot map RBD images (no rbd module)",
                     "pool \"remote-fs\" not created: the kernel of m1 has no ceph filesystem (no ceph module)"}));
    EXPECT_EQ(calls(host),
              (std::vector<std::string>{
                  "GET /1.0", "GET /1.0/storage-pools?recursion=1", "GET /1.0/storage-pools/local",
                  "POST /1.0/storage-pools?target=m1", "POST /1.0/storage-pools", "GET /1.0/storage-pools/remote",
                  "POST /1.0/storage-pools?target=m1", "POST /1.0/storage-pools", "PATCH /1.0/storage-pools/remote",
                  "GET /1.0/profiles/default", "PUT /1.0/profiles/default"}));

    // The rollback marks `remote` as not owning its Ceph pool again before deleting it.
    host.requests.clear();
    for (const char* name : {"local", "remote"}) {
        host.answer_http(socket, std::string("/1.0/storage-pools/") + name, 200,
                         sync_with({{"name", name}, {"status", "Created"}}));
        host.answer_request(socket, "DELETE", std::string("/1.0/storage-pools/") + name, 200, ok_sync);
    }
    host.set_input({{"member", {{"name", "m1"}}}, {"mode", "rollback"}, {"force", true}});
    auto rollback = host.context();
    const Json undone = plugin.teardown(rollback);
    EXPECT_EQ(undone.at("undone"), Json::array({"profile default", "storage-pool remote", "storage-pool local"}));
    EXPECT_EQ(calls(host), (std::vector<std::string>{"GET /1.0", "GET /1.0/profiles/default", "PUT /1.0/profiles/default",
                                                     "GET /1.0/storage-pools/remote", "GET /1.0/storage-pools/remote",
                                                     "PATCH /1.0/storage-pools/remote",
                                                     "DELETE /1.0/storage-pools/remote", "GET /1.0/storage-pools/local",
                                                     "DELETE /1.0/storage-pools/local"}));
}

// A bootstrap on LXD 5.0 (no storage_pool_source_wipe) whose plan wipes /dev/loop3 for a btrfs `local`.
void answer_a_bootstrap(test::FakeHost& host, const Json& local_disk, const std::string& driver,
                        const std::string& at = socket) {
    host.answer_http(at, "/1.0", 200, test::read_data("get_1.0.json"));
    host.answer_http(at, "/internal/ready", 200, ok_sync);
    host.answer_http(at, "/1.0/storage-pools?recursion=1", 200, sync_with(Json::array()));
    host.answer_http(at, "/1.0/instances", 200, sync_with(Json::array()));  // a bare LXD before
    host.answer_http(at, "/1.0/storage-pools", 200, sync_with(Json::array()));
    host.answer_request(at, "PATCH", "/1.0", 200, ok_sync);
    host.answer_request(at, "PUT", "/1.0/cluster", 200, ok_sync);
    host.set_input({{"member", {{"name", "m1"}}},
                    {"members", {"m1"}},
                    {"addresses", {{"m1", "10.0.0.11"}}},
                    {"bootstrap", true},
                    {"config", {{"local_driver", driver}}},
                    {"preseed", {{"systems", Json::array({{{"name", "m1"}}})}}},
                    {"disks", {{"m1", {{"local", local_disk}}}}},
                    {"published", Json::object()}});
}

TEST(LxdPlugin, JoinWipesTheLocalDiskWhenLxdCannot) {
    const Json free_loop{{"name", "loop3"}, {"path", "/dev/loop3"}, {"in_use", false}, {"partitions", Json::array()}};
    test::FakeHost host;
    answer_a_bootstrap(host, {{"path", "/dev/loop3"}, {"wipe", true}, {"source", "storage.local[0]"}}, "btrfs");
    host.set_member_facts({{"disks", Json::array({free_loop})}});
    host.answer_command("wipefs -a /dev/loop3", 0, "");
    LxdPlugin plugin(Json::object(), system_with({{"LXD_DIR", "/tmp/lxd-test"}}, {socket}));
    auto ctx = host.context();
    plugin.join(ctx);
    EXPECT_EQ(host.commands, std::vector<std::string>{"wipefs -a /dev/loop3"});
    const auto made = calls(host);
    EXPECT_NE(std::find(made.begin(), made.end(), "PUT /1.0/cluster"), made.end());

    // No wipe asked, or a dir pool that does not use the disk: nothing is wiped.
    for (const auto& [wipe, driver] : {std::pair{false, "btrfs"}, std::pair{true, "dir"}}) {
        test::FakeHost quiet;
        answer_a_bootstrap(quiet, {{"path", "/dev/loop3"}, {"wipe", wipe}}, driver);
        LxdPlugin other(Json::object(), system_with({{"LXD_DIR", "/tmp/lxd-test"}}, {socket}));
        auto c = quiet.context();
        other.join(c);
        EXPECT_TRUE(quiet.commands.empty()) << driver;
    }
}

TEST(LxdPlugin, JoinRefusesToWipeADiskInUseBeforeTouchingLxd) {
    test::FakeHost host;
    answer_a_bootstrap(host, {{"path", "/dev/loop3"}, {"wipe", true}}, "btrfs");
    host.set_member_facts({{"disks", Json::array({{{"name", "loop3"},
                                                   {"path", "/dev/loop3"},
                                                   {"in_use", true},
                                                   {"in_use_reason", "mounted at /srv"},
                                                   {"partitions", Json::array()}}})}});
    LxdPlugin plugin(Json::object(), system_with({{"LXD_DIR", "/tmp/lxd-test"}}, {socket}));
    auto ctx = host.context();
    try {
        plugin.join(ctx);
        FAIL() << "a disk in use was wiped";
    } catch (const sdk::Error& e) {
        EXPECT_EQ(e.code(), "wipe_refused");
        EXPECT_STREQ(e.what(), "lxd: refusing to wipe the local disk /dev/loop3 of m1: it is in use (mounted at /srv)");
    }
    EXPECT_TRUE(host.commands.empty());
    for (const std::string& call : calls(host)) EXPECT_EQ(call.rfind("GET ", 0), 0u) << call;
}

TEST(LxdPlugin, ARollbackWhoseLxdDiedAfterTheJoinSetsItsClusterStateAside) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("lxd-died-" + std::to_string(::getpid()));
    fs::create_directories(dir / "database");
    const std::string at = (dir / "unix.socket").string();
    test::FakeHost running;
    answer_a_bootstrap(running, {{"path", "/dev/loop3"}, {"wipe", false}}, "dir", at);
    LxdPlugin plugin(Json::object(), system_with({{"LXD_DIR", dir.string()}}, {at}));
    auto join = running.context();
    plugin.join(join);

    // LXD dies before the rollback: nothing answers on its socket any more.
    test::FakeHost gone;
    gone.set_input({{"member", {{"name", "m1"}}}, {"mode", "rollback"}, {"force", true}, {"run_members", {"m1"}}});
    auto rollback = gone.context();
    const Json result = plugin.teardown(rollback);
    EXPECT_EQ(result.at("left"), true);
    const fs::path aside = result.at("set_aside").get<std::string>();
    EXPECT_TRUE(fs::exists(aside / "database"));
    EXPECT_FALSE(fs::exists(dir / "database"));
    // Nothing listens (connection refused), asked twice a second apart.
    EXPECT_EQ(gone.requests, (std::vector<std::string>{at + " GET /1.0", at + " GET /1.0"}));

    // A second rollback of the same run has nothing left to set aside.
    auto again = gone.context();
    EXPECT_EQ(plugin.teardown(again).at("left"), false);
    fs::remove_all(dir);
}

TEST(LxdPlugin, ARollbackWithoutLxdLeavesTheDatabaseOfAnLxdThatHadInstancesBeforeItsBootstrap) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("lxd-had-" + std::to_string(::getpid()));
    fs::create_directories(dir / "database");
    const std::string at = (dir / "unix.socket").string();
    test::FakeHost running;
    answer_a_bootstrap(running, {{"path", "/dev/loop3"}, {"wipe", false}}, "dir", at);
    running.answer_http(at, "/1.0/instances", 200, sync_with(Json::array({"/1.0/instances/c1"})));
    LxdPlugin plugin(Json::object(), system_with({{"LXD_DIR", dir.string()}}, {at}));
    auto join = running.context();
    plugin.join(join);
    test::FakeHost gone;
    gone.set_input({{"member", {{"name", "m1"}}}, {"mode", "rollback"}, {"force", true}, {"run_members", {"m1"}}});
    auto rollback = gone.context();
    try {
        plugin.teardown(rollback);
        ADD_FAILURE() << "the rollback set aside the database of an LXD that had instances";
    } catch (const sdk::Error& e) {
        EXPECT_EQ(e.code(), "teardown_incomplete");
    }
    EXPECT_TRUE(fs::exists(dir / "database"));
    fs::remove_all(dir);
}

TEST(LxdPlugin, AMemberClusteredBeforeTheRunSaysSoAndItsRollbackLeavesItClustered) {
    test::FakeHost host;
    answer_a_bootstrap(host, {{"path", "/dev/loop3"}, {"wipe", false}}, "dir");
    Json server = Json::parse(test::read_data("get_1.0.json"));
    server["metadata"]["environment"]["server_clustered"] = true;
    server["metadata"]["environment"]["server_name"] = "m1";
    host.answer_http(socket, "/1.0", 200, server.dump());
    LxdPlugin plugin(Json::object(), system_with({{"LXD_DIR", "/tmp/lxd-test"}}, {socket}));
    auto join = host.context();
    EXPECT_EQ(plugin.join(join).at("clustered_before"), true);

    host.requests.clear();
    host.set_input({{"member", {{"name", "m1"}}}, {"mode", "rollback"}, {"force", true}, {"run_members", {"m2"}}});
    auto rollback = host.context();
    EXPECT_EQ(plugin.teardown(rollback).at("left"), false);
    for (const std::string& call : calls(host)) EXPECT_EQ(call.rfind("GET ", 0), 0u) << call;
}

}  // namespace
}  // namespace microcloud::plugins::lxd
