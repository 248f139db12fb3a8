// tests/unit/plugins/lxd/rollback_test.cpp - a rollback's two ways around a member whose LXD died:
// the others take it out of LXD's cluster, and its own LXD's cluster state is set aside.
#include "cluster_steps.hpp"
#include "fake_host.hpp"
#include "offline_reset.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace microcloud::plugins::lxd {
namespace {

namespace fs = std::filesystem;
using sdk::Json;

const std::string socket = "/tmp/lxd-rollback-test/unix.socket";

std::string sync_with(const Json& metadata) {
    return Json{{"type", "sync"}, {"status", "Success"}, {"status_code", 200}, {"metadata", metadata}}.dump();
}

TEST(DropSilentMembers, ForceRemovesOnlyRunMembersThatDoNotAnswer) {
    test::FakeHost host;
    const Json clustered{{"environment", {{"server_clustered", true}, {"server_name", "m3"}}}};
    host.answer_http(socket, "/1.0", 200, sync_with(clustered));
    host.answer_http(socket, "/1.0/cluster/members", 200,
                     sync_with(Json::array({"/1.0/cluster/members/old", "/1.0/cluster/members/m1",
                                            "/1.0/cluster/members/m2", "/1.0/cluster/members/m3"})));
    host.answer_http(socket, "/1.0?target=m1", 200, sync_with({{"environment", {{"server_name", "m1"}}}}));
    // What LXD answers when it cannot reach the target member.
    host.answer_http(socket, "/1.0?target=m2", 500,
                     R"({"type":"error","error":"Unable to connect to: 10.0.0.12:8443","error_code":500,"metadata":null})");
    host.answer_request(socket, "DELETE", "/1.0/cluster/members/m2?force=1", 200, sync_with(Json::object()));
    auto ctx = host.context();
    const LxdApi api(ctx, socket);

    EXPECT_EQ(drop_silent_members(api, "m3", Json::array({"m1", "m2", "m3"})), Json::array({"m2"}));
    // `old` was a member before the run: it is not asked about, let alone removed.
    for (const std::string& request : host.requests) {
        EXPECT_EQ(request.find("old"), std::string::npos) << request;
        EXPECT_EQ(request.find("target=m3"), std::string::npos) << request;
    }
    EXPECT_EQ(host.requests.back(), socket + " DELETE /1.0/cluster/members/m2?force=1");
}

TEST(DropSilentMembers, AStandaloneLxdHasNothingToDrop) {
    test::FakeHost host;
    host.answer_http(socket, "/1.0", 200, sync_with({{"environment", {{"server_clustered", false}}}}));
    auto ctx = host.context();
    EXPECT_EQ(drop_silent_members(LxdApi(ctx, socket), "m1", Json::array({"m1", "m2"})), Json::array());
    EXPECT_EQ(host.requests, std::vector<std::string>{socket + " GET /1.0"});
}

// A scratch LXD directory, removed at the end.
struct ScratchDir {
    fs::path path = fs::temp_directory_path() / ("lxd-aside-" + std::to_string(::getpid()));
    ScratchDir() { fs::create_directories(path / "database" / "global"); }
    ~ScratchDir() { fs::remove_all(path); }
    void write(const std::string& name, const std::string& text) const { std::ofstream(path / name) << text; }
};

TEST(SetClusterStateAside, MovesTheDatabaseAndClusterCertificateAndKeepsTheServersOwn) {
    const ScratchDir lxd;
    lxd.write("database/local.db", "local");
    lxd.write("cluster.crt", "cluster certificate");
    lxd.write("cluster.key", "cluster key");
    lxd.write("server.crt", "server certificate");
    const fs::path aside = set_cluster_state_aside(lxd.path.string());
    EXPECT_EQ(aside.parent_path(), lxd.path);
    EXPECT_EQ(aside.filename().string().rfind("microcloud-rollback-", 0), 0u) << aside;
    for (const char* moved : {"database", "cluster.crt", "cluster.key"}) {
        EXPECT_FALSE(fs::exists(lxd.path / moved)) << moved;
        EXPECT_TRUE(fs::exists(aside / moved)) << moved;
    }
    EXPECT_TRUE(fs::exists(aside / "database" / "local.db"));
    EXPECT_TRUE(fs::exists(lxd.path / "server.crt"));
}

TEST(SetClusterStateAside, TheCertificatesAreMovedOnlyWhenThere) {
    const ScratchDir lxd;
    const fs::path aside = set_cluster_state_aside(lxd.path.string());
    EXPECT_TRUE(fs::exists(aside / "database"));
    EXPECT_FALSE(fs::exists(aside / "cluster.crt"));
}

TEST(SetClusterStateAside, AnLxdDirectoryThatIsNotThereIsAnError) {
    try {
        set_cluster_state_aside("/nonexistent/lxd");
        FAIL() << "set aside in a directory that does not exist";
    } catch (const sdk::Error& e) {
        EXPECT_EQ(e.code(), "teardown_incomplete");
        EXPECT_NE(std::string(e.what()).find("no LXD database in /nonexistent/lxd"), std::string::npos) << e.what();
    }
    const ScratchDir empty;
    fs::remove_all(empty.path / "database");
    EXPECT_THROW(set_cluster_state_aside(empty.path.string()), sdk::Error);  // not LXD's directory
    EXPECT_TRUE(fs::is_empty(empty.path));
}

TEST(DropSilentMembers, AFailureOfThisLxdRemovesNobody) {
    test::FakeHost host;
    host.answer_http(socket, "/1.0", 200, sync_with({{"environment", {{"server_clustered", true}}}}));
    host.answer_http(socket, "/1.0/cluster/members", 200,
                     sync_with(Json::array({"/1.0/cluster/members/m1", "/1.0/cluster/members/m2"})));
    // No answer for ?target=m1: this member's own LXD stopped answering.
    auto ctx = host.context();
    EXPECT_THROW(drop_silent_members(LxdApi(ctx, socket), "m2", Json::array({"m1", "m2"})), sdk::Error);
    for (const std::string& request : host.requests) EXPECT_EQ(request.find("DELETE"), std::string::npos) << request;
}

}  // namespace
}  // namespace microcloud::plugins::lxd
