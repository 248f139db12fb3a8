// tests/unit/plugins/ovn/unixctl_test.cpp - unixctl requests against a stand-in control socket that
// answers as ovsdb-server and ovn-controller do (JSON-RPC 1.0 over a unix stream socket, the
// connection left open): results in pieces, errors, silence, no socket; the pid file lookup.
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

namespace {

// Listens at `path`; for one connection, reads one request, hands it to `answer` and sends each
// piece it returns separately, then waits for the client to close.
class FakeDaemon {
public:
    FakeDaemon(const std::string& path, std::function<std::vector<std::string>(const nlohmann::json&)> answer)
        : answer_(std::move(answer)) {
        listener_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
        EXPECT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
        EXPECT_EQ(::listen(listener_, 1), 0);
        thread_ = std::thread([this] { serve(); });
    }
    ~FakeDaemon() {
        thread_.join();
        ::close(listener_);
    }
    // What the client sent; read it once the daemon is gone (its thread joined).
    std::shared_ptr<nlohmann::json> request = std::make_shared<nlohmann::json>();

private:
    void serve() {
        const int peer = ::accept(listener_, nullptr, nullptr);
        if (peer < 0) return;
        std::string got;
        char buffer[1024];
        while (!nlohmann::json::accept(got)) {
            const ssize_t n = ::recv(peer, buffer, sizeof(buffer), 0);
            if (n <= 0) break;
            got.append(buffer, static_cast<std::size_t>(n));
        }
        *request = nlohmann::json::parse(got, nullptr, false);
        for (const std::string& piece : answer_(*request)) {
            ::send(peer, piece.data(), piece.size(), MSG_NOSIGNAL);
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        while (::recv(peer, buffer, sizeof(buffer), 0) > 0) {
        }
        ::close(peer);
    }
    std::function<std::vector<std::string>(const nlohmann::json&)> answer_;
    int listener_ = -1;
    std::thread thread_;
};

}  // namespace

TEST(Unixctl, ResultInPiecesIsTheReplyText) {
    TempDir tmp;
    const std::string path = (tmp.path() / "ovnnb_db.ctl").string();
    const std::string reply =
        nlohmann::json{{"id", 0}, {"error", nullptr}, {"result", "Name: OVN_Northbound\nStatus: cluster member\n"}}.dump();
    ovn::UnixctlReply got;
    std::shared_ptr<nlohmann::json> request;
    {
        FakeDaemon daemon(path, [&](const nlohmann::json&) {
            return std::vector<std::string>{reply.substr(0, 10), reply.substr(10, 30), reply.substr(40)};
        });
        request = daemon.request;
        got = ovn::unixctl_call(path, "cluster/status", {"OVN_Northbound"}, std::chrono::seconds(5));
    }
    // The request as ovs-appctl sends it.
    EXPECT_EQ(request->value("method", ""), "cluster/status") << request->dump();
    EXPECT_EQ((*request)["params"], nlohmann::json::array({"OVN_Northbound"}));
    EXPECT_TRUE(request->contains("id"));
    EXPECT_TRUE(got.answered);
    EXPECT_TRUE(got.ok);
    EXPECT_EQ(got.text, "Name: OVN_Northbound\nStatus: cluster member\n");
}

TEST(Unixctl, AnErrorReplyIsAnsweredButNotOk) {
    TempDir tmp;
    const std::string path = (tmp.path() / "ovnsb_db.ctl").string();
    ovn::UnixctlReply got;
    {
        FakeDaemon daemon(path, [](const nlohmann::json&) {
            return std::vector<std::string>{R"({"id":0,"result":null,"error":"\"cluster/statu\" is not a valid command"})"};
        });
        got = ovn::unixctl_call(path, "cluster/statu", {}, std::chrono::seconds(5));
    }
    EXPECT_TRUE(got.answered);
    EXPECT_FALSE(got.ok);
    EXPECT_EQ(got.text, "\"cluster/statu\" is not a valid command");
}

TEST(Unixctl, SilenceEndsAtTheDeadlineAndSaysSo) {
    TempDir tmp;
    const std::string path = (tmp.path() / "silent.ctl").string();
    ovn::UnixctlReply got;
    {
        FakeDaemon daemon(path, [](const nlohmann::json&) { return std::vector<std::string>{R"({"id":0,)"}; });
        got = ovn::unixctl_call(path, "connection-status", {}, std::chrono::milliseconds(200));
    }
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
