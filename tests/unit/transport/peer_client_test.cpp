// tests/unit/transport/peer_client_test.cpp - peer_request, peer_upgrade, bridge(), Tunnels and the dialer.
#include "api/envelope.hpp"
#include "transport_test_support.hpp"

#include <atomic>
#include <future>

namespace microcloud::host::transport::test {
namespace {

// A one-connection TLS server answering whatever `answer` writes (for answers PeerServer never gives).
class RawTlsServer {
public:
    explicit RawTlsServer(std::function<void(TlsStream&)> answer)
        : done_(std::async(std::launch::async, [this, answer = std::move(answer)] {
              TlsStream stream = TlsStream::accept(listener_.accept(), server_identity().credentials, 2000ms);
              stream.set_timeout(2000ms);
              // The request head first.
              std::string head;
              while (head.size() < 4 || head.compare(head.size() - 4, 4, "\r\n\r\n") != 0) {
                  char byte;
                  if (stream.read_some(&byte, 1) == 0) return;
                  head += byte;
              }
              answer(stream);
              stream.close();
          })) {}
    ~RawTlsServer() { done_.wait(); }
    std::string address() const { return listener_.address(); }

private:
    Listener listener_;
    std::future<void> done_;
};

TEST(TransportClient, RequestReturnsAnyStatusWithItsBody) {
    PeerServer server(server_options());
    server.route("GET", "/1.0", Access::trusted, [](const PeerRequest&) {
        return PeerResponse{200, api::sync_response({{"name", "m1"}}).dump()};
    });
    server.start();
    const PeerResponse found = peer_request(server.bound_address(), "GET", "/1.0", "", client_options());
    EXPECT_EQ(found.status, 200);
    EXPECT_EQ(api::unwrap(found.status, found.body)["name"], "m1");
    const PeerResponse missing = peer_request(server.bound_address(), "GET", "/2.0", "", client_options());
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(error_code_of([&] { api::unwrap(missing.status, missing.body); }), "not_found");
}

TEST(TransportClient, NothingListeningIsUnreachable) {
    std::string message;
    const std::string address = closed_address();
    EXPECT_EQ(error_code_of([&] { peer_request(address, "GET", "/1.0", "", client_options()); }, &message),
              "peer_unreachable");
    EXPECT_NE(message.find(address), std::string::npos) << message;
    EXPECT_EQ(error_code_of([&] { peer_upgrade(address, "/1.0/dqlite", "dqlite", client_options()); }),
              "peer_unreachable");
}

TEST(TransportClient, WrongServerCertificateIsUntrusted) {
    PeerServer server(server_options());
    server.start();
    PeerClientOptions options = client_options();
    options.server_fingerprints = {stranger_identity().fingerprint};
    EXPECT_EQ(error_code_of([&] { peer_request(server.bound_address(), "GET", "/1.0", "", options); }),
              "peer_untrusted");
}

TEST(TransportClient, MalformedAnswerIsABadResponse) {
    RawTlsServer raw([](TlsStream& stream) { write_tls(stream, "SMTP ready\r\n\r\n"); });
    std::string message;
    EXPECT_EQ(error_code_of([&] { peer_request(raw.address(), "GET", "/1.0", "", client_options()); }, &message),
              "peer_bad_response");
    EXPECT_NE(message.find(raw.address()), std::string::npos) << message;
}

TEST(TransportClient, AnswerCutShortIsABadResponse) {
    RawTlsServer raw([](TlsStream& stream) { write_tls(stream, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"); });
    EXPECT_EQ(error_code_of([&] { peer_request(raw.address(), "GET", "/1.0", "", client_options()); }),
              "peer_bad_response");
}

TEST(TransportClient, AnswerWithoutLengthEndsWithTheConnection) {
    RawTlsServer raw([](TlsStream& stream) {
        write_tls(stream, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nall of it");
    });
    const PeerResponse response = peer_request(raw.address(), "GET", "/1.0", "", client_options());
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "all of it");
    EXPECT_EQ(response.content_type, "text/plain");
}

TEST(TransportClient, SilentServerTimesOut) {
    std::promise<void> release;
    RawTlsServer raw([&](TlsStream&) { release.get_future().wait_for(2s); });
    PeerClientOptions options = client_options();
    options.request_timeout = 100ms;
    const auto started = Clock::now();
    EXPECT_EQ(error_code_of([&] { peer_request(raw.address(), "GET", "/1.0", "", options); }), "tls_timeout");
    EXPECT_LT(Clock::now() - started, 1s);
    release.set_value();
}

TEST(TransportClient, CancelledRequestEndsAsCancelled) {
    std::promise<void> release;
    RawTlsServer raw([&](TlsStream&) { release.get_future().wait_for(5s); });
    PeerClientOptions options = client_options();
    options.request_timeout = 60s;  // the answer never comes: only the cancel ends the wait
    std::atomic<int> asked{0};
    options.cancelled = [&] { return ++asked >= 2; };
    EXPECT_EQ(error_code_of([&] { peer_request(raw.address(), "GET", "/1.0", "", options); }), "cancelled");
    EXPECT_GE(asked.load(), 2);
    release.set_value();
}

TEST(TransportClient, AnswerBeforeACancelIsKept) {
    RawTlsServer raw([](TlsStream& stream) { write_tls(stream, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"); });
    PeerClientOptions options = client_options();
    options.cancelled = [] { return false; };
    EXPECT_EQ(peer_request(raw.address(), "GET", "/1.0", "", options).body, "ok");
}

TEST(TransportClient, UpgradeKeepsBytesThatCameWithThe101) {
    // The 101 and the first protocol bytes in one TLS record.
    RawTlsServer raw([](TlsStream& stream) {
        write_tls(stream, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nHELLO");
        EXPECT_EQ(read_tls(stream, 4), "ping");
        write_tls(stream, "pong");
    });
    TlsStream stream = peer_upgrade(raw.address(), "/echo", "echo", client_options());
    stream.set_timeout(2000ms);
    EXPECT_EQ(read_tls(stream, 5), "HELLO");
    write_tls(stream, "ping");
    EXPECT_EQ(read_tls(stream, 4), "pong");
}

TEST(TransportClient, UpgradeToAnotherProtocolIsABadResponse) {
    RawTlsServer raw([](TlsStream& stream) {
        write_tls(stream, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: other\r\n\r\n");
    });
    EXPECT_EQ(error_code_of([&] { peer_upgrade(raw.address(), "/echo", "echo", client_options()); }),
              "peer_bad_response");
}

TEST(TransportClient, BridgeCopiesBothWaysAndClosesBoth) {
    Listener listener;
    auto accepted = std::async(std::launch::async, [&listener] {
        return TlsStream::accept(listener.accept(), server_identity().credentials, 2000ms);
    });
    TlsStream client =
        TlsStream::connect(listener.address(), member_identity().credentials, {server_identity().fingerprint}, 2000ms);
    TlsStream server = accepted.get();
    // Bytes already decrypted before the bridge starts must not wait for more traffic.
    write_tls(server, "0123456789");
    client.set_timeout(2000ms);
    ASSERT_EQ(read_tls(client, 2), "01");
    ASSERT_EQ(client.pending(), 8u);

    int pair[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), 0);
    UniqueFd local(pair[0]);
    auto bridged = std::async(std::launch::async,
                              [&client, plain = UniqueFd(pair[1])]() mutable { bridge(client, std::move(plain)); });
    EXPECT_EQ(read_plain(local.get(), 8), "23456789");
    const std::string big = pattern(1024 * 1024);
    auto writer = std::async(std::launch::async, [&] { write_plain(local.get(), big); });
    server.set_timeout(2000ms);
    EXPECT_TRUE(read_tls(server, big.size()) == big);
    writer.get();
    write_tls(server, "back");
    EXPECT_EQ(read_plain(local.get(), 4), "back");

    // The plain side ends: the bridge closes the TLS side too.
    local.reset();
    ASSERT_EQ(bridged.wait_for(2s), std::future_status::ready);
    EXPECT_FALSE(client.valid());
    char byte;
    EXPECT_EQ(server.read_some(&byte, 1), 0u);  // close_notify
}

TEST(TransportClient, BridgeEndsWhenTheTlsSideEnds) {
    Listener listener;
    auto accepted = std::async(std::launch::async, [&listener] {
        return TlsStream::accept(listener.accept(), server_identity().credentials, 2000ms);
    });
    TlsStream client =
        TlsStream::connect(listener.address(), member_identity().credentials, {server_identity().fingerprint}, 2000ms);
    TlsStream server = accepted.get();
    int pair[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), 0);
    UniqueFd local(pair[0]);
    auto bridged = std::async(std::launch::async,
                              [&client, plain = UniqueFd(pair[1])]() mutable { bridge(client, std::move(plain)); });
    write_tls(server, "last words");
    server.close();
    EXPECT_EQ(read_plain(local.get(), 10), "last words");
    EXPECT_TRUE(closes_within(local.get(), 2000ms));
    EXPECT_EQ(bridged.wait_for(2s), std::future_status::ready);
}

// A PeerServer whose "/1.0/dqlite" upgrade bridges to a local echo service, like a member's dqlite endpoint.
class TransportTunnel : public ::testing::Test {
protected:
    void SetUp() override {
        server = std::make_unique<PeerServer>(server_options());
        server->upgrade_route("/1.0/dqlite", "dqlite", [this](const PeerRequest&, TlsStream& stream) {
            ++upgrades;
            bridge(stream, echo.connection());
        });
        server->start();
    }
    void TearDown() override {
        tunnels.stop();
        server->stop();
    }

    EchoService echo;  // outlives the server, whose handlers use it
    std::unique_ptr<PeerServer> server;
    std::atomic<int> upgrades{0};
    Tunnels tunnels;
};

TEST_F(TransportTunnel, DialerCarriesBytesBothWays) {
    const cluster::Dialer dial = tunnel_dialer(tunnels, [] { return client_options(); });
    UniqueFd fd(dial(server->bound_address()));
    ASSERT_TRUE(fd);
    EXPECT_EQ(tunnels.active(), 1u);
    write_plain(fd.get(), "raft says hi");
    EXPECT_EQ(read_plain(fd.get(), 12), "raft says hi");
    const std::string big = pattern(2 * 1024 * 1024);
    auto writer = std::async(std::launch::async, [&] { write_plain(fd.get(), big); });
    EXPECT_TRUE(read_plain(fd.get(), big.size(), 5000ms) == big);
    writer.get();

    // Closing our end ends the tunnel, the server's bridge and the echo connection.
    fd.reset();
    EXPECT_TRUE(eventually([&] { return tunnels.active() == 0; }));
}

TEST_F(TransportTunnel, DialerWorksWithDialWith) {
    const cluster::Dialer dial = tunnel_dialer(tunnels, [] { return client_options(); });
    UniqueFd fd = cluster::dial_with(dial, server->bound_address());
    write_plain(fd.get(), "x");
    EXPECT_EQ(read_plain(fd.get(), 1), "x");
}

TEST_F(TransportTunnel, DialerReadsTheOptionsAtEachDial) {
    std::mutex mutex;
    PeerClientOptions current = client_options();
    current.server_fingerprints = {stranger_identity().fingerprint};
    const cluster::Dialer dial = tunnel_dialer(tunnels, [&] {
        const std::lock_guard lock(mutex);
        return current;
    });
    EXPECT_EQ(error_code_of([&] { dial(server->bound_address()); }), "peer_untrusted");
    {
        const std::lock_guard lock(mutex);
        current.server_fingerprints = {server_identity().fingerprint};
        current.credentials = stranger_identity().credentials;  // not a member: the server refuses
    }
    nlohmann::json details;
    EXPECT_EQ(error_code_of([&] { dial(server->bound_address()); }, nullptr, &details), "peer_upgrade_refused");
    EXPECT_EQ(details["status"], 403);
    {
        const std::lock_guard lock(mutex);
        current.credentials = member_identity().credentials;
    }
    UniqueFd fd(dial(server->bound_address()));
    write_plain(fd.get(), "ok");
    EXPECT_EQ(read_plain(fd.get(), 2), "ok");
    EXPECT_EQ(upgrades, 1);
}

TEST_F(TransportTunnel, ConcurrentDialsAndReaping) {
    const cluster::Dialer dial = tunnel_dialer(tunnels, [] { return client_options(); });
    for (int round = 0; round < 3; ++round) {
        std::vector<std::future<bool>> dials;
        for (int i = 0; i < 4; ++i) {
            dials.push_back(std::async(std::launch::async, [&, i] {
                UniqueFd fd(dial(server->bound_address()));
                const std::string text = "tunnel " + std::to_string(i);
                write_plain(fd.get(), text);
                return read_plain(fd.get(), text.size()) == text;
            }));
        }
        for (auto& result : dials) EXPECT_TRUE(result.get());
    }
    EXPECT_TRUE(eventually([&] { return tunnels.active() == 0; }));
    EXPECT_EQ(upgrades, 12);
}

TEST_F(TransportTunnel, StopEndsOpenTunnels) {
    const cluster::Dialer dial = tunnel_dialer(tunnels, [] { return client_options(); });
    UniqueFd first(dial(server->bound_address()));
    UniqueFd second(dial(server->bound_address()));
    EXPECT_EQ(tunnels.active(), 2u);
    const auto started = Clock::now();
    tunnels.stop();
    EXPECT_LT(Clock::now() - started, 1s);
    EXPECT_EQ(tunnels.active(), 0u);
    EXPECT_TRUE(closes_within(first.get(), 1000ms));
    EXPECT_TRUE(closes_within(second.get(), 1000ms));
    // No new tunnels once stopped.
    EXPECT_EQ(error_code_of([&] { dial(server->bound_address()); }), "tunnel_failed");
}

TEST_F(TransportTunnel, ServerStopEndsTheTunnelsItCarries) {
    const cluster::Dialer dial = tunnel_dialer(tunnels, [] { return client_options(); });
    UniqueFd fd(dial(server->bound_address()));
    write_plain(fd.get(), "x");
    EXPECT_EQ(read_plain(fd.get(), 1), "x");
    const auto started = Clock::now();
    server->stop();
    EXPECT_LT(Clock::now() - started, 1s);
    EXPECT_TRUE(closes_within(fd.get(), 1000ms));
    EXPECT_TRUE(eventually([&] { return tunnels.active() == 0; }));
}

}  // namespace
}  // namespace microcloud::host::transport::test
