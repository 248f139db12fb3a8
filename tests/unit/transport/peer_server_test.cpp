// tests/unit/transport/peer_server_test.cpp - PeerServer: routing, access, limits (with the slots kept
// for members), upgrades, closing the connections of a withdrawn certificate, and stop().
#include "api/envelope.hpp"
#include "transport_test_support.hpp"

#include <atomic>
#include <future>
#include <mutex>
#include <set>

namespace microcloud::host::transport::test {
namespace {

PeerResponse ok(nlohmann::json metadata) {
    return {200, api::sync_response(std::move(metadata)).dump()};
}

nlohmann::json json_of(const PeerResponse& response) {
    return nlohmann::json::parse(response.body);
}

// Asks `address` for an upgrade with a stranger's certificate: it must be refused with 403; returns
// the refusal's details (status, body).
nlohmann::json stranger_upgrade_refusal(const std::string& address) {
    nlohmann::json details;
    EXPECT_EQ(error_code_of([&] { peer_upgrade(address, "/echo", "echo", client_options(stranger_identity())); },
                            nullptr, &details),
              "peer_upgrade_refused");
    EXPECT_EQ(details["status"], 403);
    return details;
}

// The error code an error envelope carries in its metadata.
std::string envelope_code(const PeerResponse& response) {
    const nlohmann::json body = json_of(response);
    EXPECT_EQ(body["type"], "error") << response.body;
    EXPECT_EQ(body["error_code"], response.status) << response.body;
    return body["metadata"].is_object() ? body["metadata"].value("code", "") : "";
}

class TransportServer : public ::testing::Test {
protected:
    PeerServerOptions options = server_options();
    std::unique_ptr<PeerServer> server;

    // Starts a server with `options` and the routes `setup` adds.
    PeerServer& serve(const std::function<void(PeerServer&)>& setup = {}) {
        server = std::make_unique<PeerServer>(options);
        if (setup) setup(*server);
        server->start();
        return *server;
    }

    PeerResponse request(const std::string& method, const std::string& target, const std::string& body = "",
                         const PeerClientOptions& client = client_options()) {
        return peer_request(server->bound_address(), method, target, body, client);
    }
};

TEST_F(TransportServer, BoundAddressNamesThePickedPort) {
    serve();
    const std::string bound = server->bound_address();
    EXPECT_EQ(bound.rfind("127.0.0.1:", 0), 0u) << bound;
    EXPECT_NE(bound, "127.0.0.1:0");
}

TEST_F(TransportServer, HandlerSeesTheRequest) {
    PeerRequest seen;
    serve([&](PeerServer& s) {
        s.route("POST", "/1.0/things", Access::trusted, [&](const PeerRequest& request) {
            seen = request;
            return ok({{"echo", request.body}});
        });
    });
    const PeerResponse response = request("POST", "/1.0/things?recursion=1&x=%20y", R"({"a":1})");
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.content_type, "application/json");
    EXPECT_EQ(api::unwrap(response.status, response.body)["echo"], R"({"a":1})");

    EXPECT_EQ(seen.method, "POST");
    EXPECT_EQ(seen.path, "/1.0/things");
    EXPECT_EQ(seen.query, "recursion=1&x=%20y");
    EXPECT_EQ(seen.body, R"({"a":1})");
    EXPECT_EQ(seen.headers["content-type"], "application/json");
    EXPECT_EQ(seen.headers["content-length"], "7");
    EXPECT_EQ(seen.headers["host"], server->bound_address());
    EXPECT_EQ(seen.remote_address.rfind("127.0.0.1:", 0), 0u) << seen.remote_address;
    ASSERT_TRUE(seen.client.has_value());
    EXPECT_EQ(seen.client->fingerprint, member_identity().fingerprint);
    EXPECT_TRUE(seen.trusted);
}

TEST_F(TransportServer, TrustedRouteRefusesAnUntrustedCertificate) {
    std::atomic<int> calls{0};
    serve([&](PeerServer& s) {
        s.route("GET", "/1.0", Access::trusted, [&](const PeerRequest&) {
            ++calls;
            return ok(nullptr);
        });
    });
    const PeerResponse response = request("GET", "/1.0", "", client_options(stranger_identity()));
    EXPECT_EQ(response.status, 403);
    EXPECT_EQ(envelope_code(response), "forbidden");
    EXPECT_NE(json_of(response)["error"].get<std::string>().find(stranger_identity().fingerprint), std::string::npos)
        << response.body;
    EXPECT_EQ(calls, 0);
}

TEST_F(TransportServer, TrustedRouteRefusesAClientWithoutCertificate) {
    serve([&](PeerServer& s) { s.route("GET", "/1.0", Access::trusted, [](const PeerRequest&) { return ok(1); }); });
    PeerClientOptions anonymous = client_options();
    anonymous.credentials = {};
    const PeerResponse response = request("GET", "/1.0", "", anonymous);
    EXPECT_EQ(response.status, 403);
    EXPECT_EQ(envelope_code(response), "forbidden");
}

TEST_F(TransportServer, TrustCheckIsNotAskedWithoutCertificate) {
    std::atomic<int> asked{0};
    options.trusted = [&](const std::string&) {
        ++asked;
        return true;
    };
    PeerRequest seen;
    serve([&](PeerServer& s) {
        s.route("GET", "/open", Access::open, [&](const PeerRequest& request) {
            seen = request;
            return ok(nullptr);
        });
    });
    PeerClientOptions anonymous = client_options();
    anonymous.credentials = {};
    EXPECT_EQ(request("GET", "/open", "", anonymous).status, 200);
    EXPECT_EQ(asked, 0);
    EXPECT_FALSE(seen.client.has_value());
    EXPECT_FALSE(seen.trusted);
}

TEST_F(TransportServer, OpenRouteServesUntrustedClients) {
    PeerRequest seen;
    serve([&](PeerServer& s) {
        s.route("POST", "/1.0/cluster/join", Access::open, [&](const PeerRequest& request) {
            seen = request;
            return ok("welcome");
        });
    });
    const PeerResponse response = request("POST", "/1.0/cluster/join", "{}", client_options(stranger_identity()));
    EXPECT_EQ(response.status, 200) << response.body;
    ASSERT_TRUE(seen.client.has_value());
    EXPECT_EQ(seen.client->fingerprint, stranger_identity().fingerprint);
    EXPECT_FALSE(seen.trusted);
}

TEST_F(TransportServer, OpenRouteIsRateLimitedPerAddress) {
    options.open_burst = 3;
    options.open_per_second = 0.001;
    serve([&](PeerServer& s) {
        s.route("POST", "/join", Access::open, [](const PeerRequest&) { return ok(nullptr); });
        s.route("GET", "/1.0", Access::trusted, [](const PeerRequest&) { return ok(nullptr); });
    });
    const PeerClientOptions stranger = client_options(stranger_identity());
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(request("POST", "/join", "{}", stranger).status, 200) << i;
    }
    const PeerResponse limited = request("POST", "/join", "{}", stranger);
    EXPECT_EQ(limited.status, 429);
    EXPECT_EQ(envelope_code(limited), "rate_limited");
    // Per IP, not per certificate; trusted routes are not limited.
    EXPECT_EQ(request("POST", "/join", "{}").status, 429);
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(request("GET", "/1.0").status, 200);
    }
}

TEST_F(TransportServer, UnknownPathIs404AndOtherMethodIs405) {
    serve([&](PeerServer& s) {
        s.route("GET", "/1.0/things", Access::open, [](const PeerRequest&) { return ok(nullptr); });
        s.route("PUT", "/1.0/things", Access::open, [](const PeerRequest&) { return ok(nullptr); });
    });
    const PeerResponse missing = request("GET", "/1.0/thing");
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(envelope_code(missing), "not_found");
    const PeerResponse prefix = request("GET", "/1.0/things/sub");  // exact match only
    EXPECT_EQ(prefix.status, 404);
    const PeerResponse wrong = request("DELETE", "/1.0/things");
    EXPECT_EQ(wrong.status, 405);
    EXPECT_EQ(envelope_code(wrong), "method_not_allowed");
    EXPECT_EQ(request("PUT", "/1.0/things?x=1").status, 200);
}

TEST_F(TransportServer, HandlerErrorsMapToStatuses) {
    serve([&](PeerServer& s) {
        s.route("POST", "/fail", Access::trusted, [](const PeerRequest& request) -> PeerResponse {
            if (request.body == "runtime") throw std::runtime_error("boom");
            throw Error(request.body, "failed with " + request.body, {{"why", request.body}});
        });
    });
    const std::vector<std::pair<std::string, int>> cases{
        {"invalid_member", 400},
        {"certificate_untrusted", 403},
        {"forbidden", 403},
        {"action_forbidden", 403},
        {"member_not_found", 404},
        {"member_exists", 409},
        {"database_unavailable", 500},
        {"not_found", 404},
    };
    for (const auto& [code, status] : cases) {
        const PeerResponse response = request("POST", "/fail", code);
        EXPECT_EQ(response.status, status) << code;
        EXPECT_EQ(envelope_code(response), code);
        const nlohmann::json body = json_of(response);
        EXPECT_EQ(body["error"], "failed with " + code);
        EXPECT_EQ(body["metadata"]["details"]["why"], code);
        EXPECT_EQ(error_code_of([&] { api::unwrap(response.status, response.body); }), code);
    }
    const PeerResponse other = request("POST", "/fail", "runtime");
    EXPECT_EQ(other.status, 500);
    EXPECT_NE(json_of(other)["error"].get<std::string>().find("boom"), std::string::npos);
}

TEST_F(TransportServer, HandlerChoosesStatusAndContentType) {
    serve([&](PeerServer& s) {
        s.route("GET", "/text", Access::trusted, [](const PeerRequest&) {
            return PeerResponse{202, "plain words", "text/plain"};
        });
    });
    const PeerResponse response = request("GET", "/text");
    EXPECT_EQ(response.status, 202);
    EXPECT_EQ(response.body, "plain words");
    EXPECT_EQ(response.content_type, "text/plain");
}

TEST_F(TransportServer, BodyOverTheLimitIs413) {
    options.max_body_bytes = 100;
    std::atomic<int> calls{0};
    serve([&](PeerServer& s) {
        s.route("POST", "/x", Access::trusted, [&](const PeerRequest&) {
            ++calls;
            return ok(nullptr);
        });
    });
    EXPECT_EQ(request("POST", "/x", std::string(100, 'a')).status, 200);
    const PeerResponse response = request("POST", "/x", std::string(101, 'a'));
    EXPECT_EQ(response.status, 413);
    EXPECT_EQ(envelope_code(response), "request_too_large");
    EXPECT_EQ(calls, 1);
}

TEST_F(TransportServer, MalformedRequestIs400) {
    serve();
    TlsStream raw = TlsStream::connect(server->bound_address(), member_identity().credentials,
                                       {server_identity().fingerprint}, 2000ms);
    raw.set_timeout(2000ms);
    write_tls(raw, "this is not http\r\n\r\n");
    std::string answer;
    char buffer[4096];
    while (std::size_t got = raw.read_some(buffer, sizeof buffer)) answer.append(buffer, got);
    EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer;
    EXPECT_NE(answer.find("invalid_request"), std::string::npos) << answer;
}

// Upgrade routes: an echo protocol greeting first, so bytes follow the 101 at once.
class TransportServerUpgrade : public TransportServer {
protected:
    void serve_echo() {
        serve([&](PeerServer& s) {
            s.upgrade_route("/echo", "echo", [&](const PeerRequest& request, TlsStream& stream) {
                seen = request;
                write_tls(stream, "hello");
                char buffer[4096];
                while (std::size_t got = stream.read_some(buffer, sizeof buffer)) stream.write_all(buffer, got);
            });
        });
    }
    PeerRequest seen;
};

TEST_F(TransportServerUpgrade, EchoesOverTheRawStream) {
    serve_echo();
    TlsStream stream = peer_upgrade(server->bound_address(), "/echo?x=1", "echo", client_options());
    stream.set_timeout(2000ms);
    EXPECT_EQ(read_tls(stream, 5), "hello");
    write_tls(stream, "ping");
    EXPECT_EQ(read_tls(stream, 4), "ping");
    const std::string big = pattern(512 * 1024);
    auto writer = std::async(std::launch::async, [&] { write_tls(stream, big); });
    EXPECT_TRUE(read_tls(stream, big.size()) == big);
    writer.get();
    EXPECT_EQ(seen.path, "/echo");
    EXPECT_EQ(seen.query, "x=1");
    EXPECT_EQ(seen.headers["upgrade"], "echo");
    EXPECT_TRUE(seen.trusted);
}

TEST_F(TransportServerUpgrade, BytesSentWithTheRequestReachTheHandler) {
    serve_echo();
    TlsStream raw = TlsStream::connect(server->bound_address(), member_identity().credentials,
                                       {server_identity().fingerprint}, 2000ms);
    raw.set_timeout(2000ms);
    // One write: the head and the first bytes of the protocol arrive together.
    write_tls(raw, "GET /echo HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nearly");
    const std::string expected_head = "HTTP/1.1 101 Switching Protocols\r\n";
    std::string head;
    while (head.size() < 4 || head.compare(head.size() - 4, 4, "\r\n\r\n") != 0) {
        char byte;
        ASSERT_EQ(raw.read_some(&byte, 1), 1u);
        head += byte;
    }
    EXPECT_EQ(head.rfind(expected_head, 0), 0u) << head;
    EXPECT_NE(head.find("Connection: Upgrade\r\n"), std::string::npos) << head;
    EXPECT_NE(head.find("Upgrade: echo\r\n"), std::string::npos) << head;
    EXPECT_EQ(read_tls(raw, 10), "helloearly");
}

TEST_F(TransportServerUpgrade, RefusedForUntrustedClients) {
    serve_echo();
    const nlohmann::json details = stranger_upgrade_refusal(server->bound_address());
    EXPECT_NE(details["body"].get<std::string>().find("forbidden"), std::string::npos);
}

TEST_F(TransportServerUpgrade, PlainRequestsToAnUpgradePath) {
    serve_echo();
    const PeerResponse get = request("GET", "/echo");
    EXPECT_EQ(get.status, 426);
    EXPECT_EQ(envelope_code(get), "upgrade_required");
    EXPECT_EQ(request("POST", "/echo", "{}").status, 405);
    nlohmann::json details;
    EXPECT_EQ(error_code_of([&] { peer_upgrade(server->bound_address(), "/echo", "other", client_options()); }, nullptr,
                            &details),
              "peer_upgrade_refused");
    EXPECT_EQ(details["status"], 426);
    EXPECT_EQ(error_code_of([&] { peer_upgrade(server->bound_address(), "/nowhere", "echo", client_options()); },
                            nullptr, &details),
              "peer_upgrade_refused");
    EXPECT_EQ(details["status"], 404);
}

TEST_F(TransportServer, StopEndsAConnectionStuckInAnUpgradeHandler) {
    std::promise<void> entered;
    std::atomic<bool> returned{false};
    serve([&](PeerServer& s) {
        s.upgrade_route("/stuck", "stuck", [&](const PeerRequest&, TlsStream& stream) {
            entered.set_value();
            char byte;
            try {
                stream.read_some(&byte, 1);  // no deadline: only stop() ends this
            } catch (const Error&) {
            }
            returned = true;
        });
    });
    TlsStream client = peer_upgrade(server->bound_address(), "/stuck", "stuck", client_options());
    ASSERT_EQ(entered.get_future().wait_for(2s), std::future_status::ready);
    const auto started = Clock::now();
    server->stop();
    EXPECT_LT(Clock::now() - started, 1s);
    EXPECT_TRUE(returned);
    server->stop();  // twice is fine
    // The client sees its connection end.
    client.set_timeout(2000ms);
    char byte;
    EXPECT_TRUE(error_code_of([&] { EXPECT_EQ(client.read_some(&byte, 1), 0u); }) != "tls_timeout");
}

TEST_F(TransportServer, HandshakeTimeoutClosesSilentClients) {
    options.handshake_timeout = 150ms;
    serve();
    const UniqueFd silent = tcp_connect(server->bound_address());
    const auto started = Clock::now();
    EXPECT_TRUE(closes_within(silent.get(), 2000ms));
    const auto waited = Clock::now() - started;
    EXPECT_GE(waited, 100ms);
    EXPECT_LT(waited, 1s);
}

TEST_F(TransportServer, StopEndsPendingHandshakes) {
    serve();
    const UniqueFd silent = tcp_connect(server->bound_address());
    std::this_thread::sleep_for(20ms);  // let the server start its handshake
    const auto started = Clock::now();
    server->stop();
    EXPECT_LT(Clock::now() - started, 1s);
    EXPECT_TRUE(closes_within(silent.get(), 1000ms));
}

TEST_F(TransportServer, ConnectionsBeyondTheLimitAreClosedAtOnce) {
    options.max_connections = 1;
    serve([&](PeerServer& s) { s.route("GET", "/1.0", Access::trusted, [](const PeerRequest&) { return ok(1); }); });
    UniqueFd occupying = tcp_connect(server->bound_address());  // holds the only slot in its handshake
    const UniqueFd extra = tcp_connect(server->bound_address());
    EXPECT_TRUE(closes_within(extra.get(), 1000ms));
    const std::string code = error_code_of([&] { request("GET", "/1.0"); });
    EXPECT_TRUE(code == "tls_handshake_failed" || code == "tls_io") << code;

    occupying.reset();
    EXPECT_TRUE(eventually([&] { return error_code_of([&] { request("GET", "/1.0"); }).empty(); }));
}

TEST_F(TransportServer, ConnectionsBeyondTheLimitOfOneAddressAreClosedAtOnce) {
    options.max_connections_per_address = 2;
    serve([&](PeerServer& s) { s.route("GET", "/1.0", Access::trusted, [](const PeerRequest&) { return ok(1); }); });
    UniqueFd first = tcp_connect(server->bound_address());  // 127.0.0.1 holds both of its slots
    const UniqueFd second = tcp_connect(server->bound_address());
    const UniqueFd extra = tcp_connect(server->bound_address());
    EXPECT_TRUE(closes_within(extra.get(), 1000ms));
    const std::string code = error_code_of([&] { request("GET", "/1.0"); });
    EXPECT_TRUE(code == "tls_handshake_failed" || code == "tls_io") << code;
    EXPECT_FALSE(closes_within(second.get(), 200ms));  // the first two wait for their handshake deadline

    first.reset();
    EXPECT_TRUE(eventually([&] { return error_code_of([&] { request("GET", "/1.0"); }).empty(); }));
}

// A plain TCP connection to `address` from `source`, another loopback address (127.0.0.0/8).
UniqueFd tcp_connect_from(const std::string& source, const std::string& address) {
    const auto colon = address.rfind(':');
    sockaddr_in from{};
    from.sin_family = AF_INET;
    ::inet_pton(AF_INET, source.c_str(), &from.sin_addr);
    sockaddr_in target{};
    target.sin_family = AF_INET;
    target.sin_port = htons(static_cast<uint16_t>(std::stoi(address.substr(colon + 1))));
    ::inet_pton(AF_INET, address.substr(0, colon).c_str(), &target.sin_addr);
    UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
        ::connect(fd.get(), reinterpret_cast<sockaddr*>(&target), sizeof target) != 0) {
        throw std::runtime_error("cannot connect from " + source + " to " + address);
    }
    return fd;
}

TEST_F(TransportServer, StrangersCannotTakeTheSlotsKeptForMembers) {
    options.max_connections = 3;
    options.reserved_for_members = 1;
    options.member_address = [](const std::string& ip) { return ip == "127.0.0.1"; };
    serve([&](PeerServer& s) { s.route("GET", "/1.0", Access::trusted, [](const PeerRequest&) { return ok(1); }); });
    // Strangers from three addresses: the first two take the two slots strangers may have (and
    // hold them in their handshakes), the third is closed at once.
    const UniqueFd first = tcp_connect_from("127.0.0.2", server->bound_address());
    const UniqueFd second = tcp_connect_from("127.0.0.3", server->bound_address());
    const UniqueFd third = tcp_connect_from("127.0.0.4", server->bound_address());
    EXPECT_TRUE(closes_within(third.get(), 1000ms));
    // A member's address still gets the slot kept for members.
    EXPECT_EQ(request("GET", "/1.0").status, 200);
    EXPECT_FALSE(closes_within(second.get(), 200ms));  // the strangers wait for their handshake deadline
}

TEST_F(TransportServer, CloseUntrustedEndsTheStreamsOfAWithdrawnCertificateOnly) {
    std::mutex mutex;
    std::set<std::string> trusted{member_identity().fingerprint, stranger_identity().fingerprint};
    options.trusted = [&](const std::string& fingerprint) {
        const std::lock_guard lock(mutex);
        return trusted.contains(fingerprint);
    };
    serve([&](PeerServer& s) {
        s.upgrade_route("/echo", "echo", [](const PeerRequest&, TlsStream& stream) {
            char buffer[4096];
            while (std::size_t got = stream.read_some(buffer, sizeof buffer)) stream.write_all(buffer, got);
        });
    });
    TlsStream kept = peer_upgrade(server->bound_address(), "/echo", "echo", client_options());
    TlsStream withdrawn = peer_upgrade(server->bound_address(), "/echo", "echo", client_options(stranger_identity()));
    for (TlsStream* stream : {&kept, &withdrawn}) {
        stream->set_timeout(2000ms);
        write_tls(*stream, "ping");
        EXPECT_EQ(read_tls(*stream, 4), "ping");
    }
    EXPECT_EQ(server->close_untrusted(), 0u);  // both still trusted

    {
        const std::lock_guard lock(mutex);
        trusted.erase(stranger_identity().fingerprint);
    }
    EXPECT_EQ(server->close_untrusted(), 1u);
    char byte;
    EXPECT_TRUE(error_code_of([&] { EXPECT_EQ(withdrawn.read_some(&byte, 1), 0u); }) != "tls_timeout");
    write_tls(kept, "pong");
    EXPECT_EQ(read_tls(kept, 4), "pong");
    const nlohmann::json details = stranger_upgrade_refusal(server->bound_address());
}

TEST_F(TransportServer, ATrustCheckRacingAWithdrawalIsMadeAgain) {
    std::mutex mutex;
    bool member_trusted = true;
    std::atomic<bool> first{true};
    std::promise<void> checking;
    std::promise<void> go_on;
    std::shared_future<void> released = go_on.get_future().share();
    options.trusted = [&](const std::string& fingerprint) {
        bool answer = false;
        {
            const std::lock_guard lock(mutex);
            answer = member_trusted && fingerprint == member_identity().fingerprint;
        }
        if (first.exchange(false)) {  // the first check answers what was true before the withdrawal
            checking.set_value();
            released.wait();
        }
        return answer;
    };
    serve([&](PeerServer& s) { s.route("GET", "/1.0", Access::trusted, [](const PeerRequest&) { return ok(1); }); });
    auto asked = std::async(std::launch::async, [&] { return request("GET", "/1.0").status; });
    checking.get_future().wait();
    {
        const std::lock_guard lock(mutex);
        member_trusted = false;
    }
    EXPECT_EQ(server->close_untrusted(), 0u);  // the request is not let in yet: nothing to close
    go_on.set_value();
    EXPECT_EQ(asked.get(), 403);
}

TEST_F(TransportServer, StartFailures) {
    serve();
    // The port is taken.
    PeerServerOptions taken = server_options();
    taken.listen_address = server->bound_address();
    std::string message;
    EXPECT_EQ(error_code_of([&] { PeerServer(taken).start(); }, &message), "peer_listen_failed");
    EXPECT_NE(message.find(taken.listen_address), std::string::npos) << message;
    // Not an address.
    PeerServerOptions nonsense = server_options();
    nonsense.listen_address = "nowhere";
    EXPECT_EQ(error_code_of([&] { PeerServer(nonsense).start(); }), "peer_listen_failed");
    // Credentials OpenSSL refuses.
    PeerServerOptions broken = server_options();
    broken.credentials.key_pem = stranger_identity().credentials.key_pem;
    EXPECT_EQ(error_code_of([&] { PeerServer(broken).start(); }), "peer_listen_failed");
    // Twice, and routes after the start.
    EXPECT_EQ(error_code_of([&] { server->start(); }), "peer_listen_failed");
    EXPECT_EQ(error_code_of(
                  [&] { server->route("GET", "/late", Access::open, [](const PeerRequest&) { return ok(nullptr); }); }),
              "invalid_route");
}

TEST_F(TransportServer, StopWithoutStartIsFine) {
    PeerServer idle(options);
    idle.stop();
    idle.stop();
}

TEST_F(TransportServer, ManyConcurrentClients) {
    serve([&](PeerServer& s) {
        s.route("POST", "/echo", Access::trusted, [](const PeerRequest& request) {
            return PeerResponse{200, request.body, "text/plain"};
        });
    });
    std::vector<std::future<bool>> clients;
    for (int i = 0; i < 16; ++i) {
        clients.push_back(std::async(std::launch::async, [&, i] {
            const std::string body = "client " + std::to_string(i);
            return request("POST", "/echo", body).body == body;
        }));
    }
    for (auto& client : clients) EXPECT_TRUE(client.get());
}

}  // namespace
}  // namespace microcloud::host::transport::test
