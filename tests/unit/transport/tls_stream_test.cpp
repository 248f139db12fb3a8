// tests/unit/transport/tls_stream_test.cpp - TlsStream: pinned handshakes, client certs, deadlines, ends.
#include "transport_test_support.hpp"

#include <future>

namespace microcloud::host::transport::test {
namespace {

// A server side accepted on another thread while the test connects.
struct Accepted {
    std::future<TlsStream> stream;
};

Accepted accept_async(Listener& listener, std::chrono::milliseconds timeout = 2000ms,
                      const TlsCredentials& credentials = server_identity().credentials) {
    return {std::async(std::launch::async, [&listener, timeout, credentials] {
        return TlsStream::accept(listener.accept(), credentials, timeout);
    })};
}

TEST(TransportTls, RoundTripWithPinnedFingerprint) {
    Listener listener;
    Accepted accepted = accept_async(listener);
    TlsStream client = TlsStream::connect(listener.address(), member_identity().credentials,
                                          {"0000", server_identity().fingerprint}, 2000ms);
    TlsStream server = accepted.stream.get();

    ASSERT_TRUE(client.valid());
    ASSERT_TRUE(server.valid());
    ASSERT_TRUE(client.peer().has_value());
    EXPECT_EQ(client.peer()->fingerprint, server_identity().fingerprint);
    EXPECT_EQ(trust::fingerprint(client.peer()->pem), server_identity().fingerprint);
    ASSERT_TRUE(server.peer().has_value());
    EXPECT_EQ(server.peer()->fingerprint, member_identity().fingerprint);
    EXPECT_EQ(client.remote_address(), listener.address());
    EXPECT_EQ(server.remote_address().rfind("127.0.0.1:", 0), 0u) << server.remote_address();
    EXPECT_GE(client.fd(), 0);

    client.set_timeout(2000ms);
    server.set_timeout(2000ms);
    write_tls(client, "hello server");
    EXPECT_EQ(read_tls(server, 12), "hello server");
    write_tls(server, "hello client");
    EXPECT_EQ(read_tls(client, 12), "hello client");
}

TEST(TransportTls, ContextsAreKeptPerSideAndMadeAgainWhenTheCredentialsChange) {
    TlsContexts contexts;
    const TlsCredentials& member = member_identity().credentials;
    const auto client = contexts.get(false, member);
    EXPECT_EQ(contexts.get(false, member).get(), client.get());
    const auto server = contexts.get(true, member);
    EXPECT_NE(server.get(), client.get());
    EXPECT_EQ(contexts.get(true, member).get(), server.get());
    const auto other = contexts.get(false, stranger_identity().credentials);
    EXPECT_NE(other.get(), client.get());
    // Copies of credentials share their contexts: two connections made with copies use one context.
    const TlsCredentials copy = member;
    EXPECT_EQ(copy.contexts.get(), member.contexts.get());
    // Contexts from many threads at once are one context.
    std::vector<std::future<const void*>> asked;
    for (int i = 0; i < 8; ++i)
        asked.push_back(std::async(std::launch::async, [&] { return static_cast<const void*>(contexts.get(true, member).get()); }));
    for (auto& answer : asked) EXPECT_EQ(answer.get(), static_cast<const void*>(server.get()));
}

TEST(TransportTls, PinnedFingerprintMayHaveColonsAndUpperCase) {
    std::string written;
    for (std::size_t i = 0; i < server_identity().fingerprint.size(); i += 2) {
        written += (written.empty() ? "" : ":") + server_identity().fingerprint.substr(i, 2);
    }
    for (char& c : written) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    Listener listener;
    Accepted accepted = accept_async(listener);
    TlsStream client = TlsStream::connect(listener.address(), member_identity().credentials, {written}, 2000ms);
    EXPECT_TRUE(client.valid());
    accepted.stream.get();
}

TEST(TransportTls, WrongPinnedFingerprintIsRefused) {
    Listener listener;
    auto server = std::async(std::launch::async, [&listener] {
        TlsStream stream = TlsStream::accept(listener.accept(), server_identity().credentials, 2000ms);
        stream.set_timeout(2000ms);
        char byte;
        return stream.read_some(&byte, 1);
    });
    std::string message;
    nlohmann::json details;
    const std::string code = error_code_of(
        [&] {
            TlsStream::connect(listener.address(), member_identity().credentials, {stranger_identity().fingerprint},
                               2000ms);
        },
        &message, &details);
    EXPECT_EQ(code, "peer_untrusted");
    EXPECT_NE(message.find(stranger_identity().fingerprint), std::string::npos) << message;
    EXPECT_NE(message.find(server_identity().fingerprint), std::string::npos) << message;
    EXPECT_NE(message.find(listener.address()), std::string::npos) << message;
    EXPECT_EQ(details["presented"], server_identity().fingerprint);
    // The server never gets application data: the client closed right after the handshake.
    EXPECT_EQ(server.get(), 0u);
}

TEST(TransportTls, NoPinnedFingerprintTrustsNothing) {
    Listener listener;
    auto server = std::async(std::launch::async, [&listener] {
        error_code_of([&] { TlsStream::accept(listener.accept(), server_identity().credentials, 2000ms); });
    });
    EXPECT_EQ(error_code_of([&] { TlsStream::connect(listener.address(), member_identity().credentials, {}, 2000ms); }),
              "peer_untrusted");
    server.get();
}

TEST(TransportTls, ServerAcceptsClientWithoutCertificate) {
    Listener listener;
    Accepted accepted = accept_async(listener);
    TlsStream client = TlsStream::connect(listener.address(), {}, {server_identity().fingerprint}, 2000ms);
    TlsStream server = accepted.stream.get();
    EXPECT_FALSE(server.peer().has_value());
    write_tls(client, "x");
    server.set_timeout(2000ms);
    EXPECT_EQ(read_tls(server, 1), "x");
}

TEST(TransportTls, HandshakeTimesOutWhenTheClientSaysNothing) {
    Listener listener;
    const UniqueFd silent = tcp_connect(listener.address());
    const auto started = Clock::now();
    std::string message;
    EXPECT_EQ(
        error_code_of([&] { TlsStream::accept(listener.accept(), server_identity().credentials, 100ms); }, &message),
        "tls_timeout");
    EXPECT_LT(Clock::now() - started, 1s);
    EXPECT_NE(message.find("127.0.0.1:"), std::string::npos) << message;
}

TEST(TransportTls, HandshakeWithSomethingThatIsNotTlsFails) {
    Listener listener;
    const UniqueFd plain = tcp_connect(listener.address());
    write_plain(plain.get(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(error_code_of([&] { TlsStream::accept(listener.accept(), server_identity().credentials, 1000ms); }),
              "tls_handshake_failed");
}

TEST(TransportTls, ConnectToClosedPortIsUnreachable) {
    std::string message;
    const std::string address = closed_address();
    EXPECT_EQ(error_code_of(
                  [&] {
                      TlsStream::connect(address, member_identity().credentials, {server_identity().fingerprint},
                                         1000ms);
                  },
                  &message),
              "peer_unreachable");
    EXPECT_NE(message.find(address), std::string::npos) << message;
}

TEST(TransportTls, ReadTimeoutLeavesTheStreamUsable) {
    Listener listener;
    Accepted accepted = accept_async(listener);
    TlsStream client =
        TlsStream::connect(listener.address(), member_identity().credentials, {server_identity().fingerprint}, 2000ms);
    TlsStream server = accepted.stream.get();
    client.set_timeout(50ms);
    char byte;
    const auto started = Clock::now();
    EXPECT_EQ(error_code_of([&] { client.read_some(&byte, 1); }), "tls_timeout");
    EXPECT_LT(Clock::now() - started, 1s);
    write_tls(server, "late");
    client.set_timeout(2000ms);
    EXPECT_EQ(read_tls(client, 4), "late");
}

TEST(TransportTls, CleanCloseReadsAsEndOfStream) {
    Listener listener;
    Accepted accepted = accept_async(listener);
    TlsStream client =
        TlsStream::connect(listener.address(), member_identity().credentials, {server_identity().fingerprint}, 2000ms);
    TlsStream server = accepted.stream.get();
    write_tls(server, "bye");
    server.close();
    EXPECT_FALSE(server.valid());
    EXPECT_EQ(error_code_of([&] { write_tls(server, "more"); }), "tls_io");
    server.close();  // twice is fine
    client.set_timeout(2000ms);
    EXPECT_EQ(read_tls(client, 3), "bye");
    char byte;
    EXPECT_EQ(client.read_some(&byte, 1), 0u);
}

TEST(TransportTls, AbruptEndIsAnIoError) {
    Listener listener;
    Accepted accepted = accept_async(listener);
    TlsStream client =
        TlsStream::connect(listener.address(), member_identity().credentials, {server_identity().fingerprint}, 2000ms);
    {
        TlsStream server = accepted.stream.get();
        ::shutdown(server.fd(), SHUT_RDWR);  // no close_notify
    }
    client.set_timeout(2000ms);
    char byte;
    EXPECT_EQ(error_code_of([&] { client.read_some(&byte, 1); }), "tls_io");
}

TEST(TransportTls, LargeTransfersBothWaysAtOnce) {
    Listener listener;
    Accepted accepted = accept_async(listener);
    TlsStream client =
        TlsStream::connect(listener.address(), member_identity().credentials, {server_identity().fingerprint}, 2000ms);
    TlsStream server = accepted.stream.get();
    client.set_timeout(5000ms);
    server.set_timeout(5000ms);
    const std::string data = pattern(3 * 1024 * 1024);
    auto writer = std::async(std::launch::async, [&] { write_tls(client, data); });
    auto echo = std::async(std::launch::async, [&] { write_tls(server, data); });
    std::string at_server;
    std::string at_client;
    auto reader = std::async(std::launch::async, [&] { at_client = read_tls(client, data.size()); });
    at_server = read_tls(server, data.size());
    writer.get();
    echo.get();
    reader.get();
    EXPECT_TRUE(at_server == data);
    EXPECT_TRUE(at_client == data);
}

TEST(TransportTls, PendingCountsDecryptedBytesNotYetRead) {
    Listener listener;
    Accepted accepted = accept_async(listener);
    TlsStream client =
        TlsStream::connect(listener.address(), member_identity().credentials, {server_identity().fingerprint}, 2000ms);
    TlsStream server = accepted.stream.get();
    write_tls(server, "0123456789");
    client.set_timeout(2000ms);
    EXPECT_EQ(read_tls(client, 4), "0123");
    EXPECT_EQ(client.pending(), 6u);
    EXPECT_EQ(read_tls(client, 6), "456789");
    EXPECT_EQ(client.pending(), 0u);
}

TEST(TransportTls, UnusableCredentialsAreASetupError) {
    Listener listener;
    const UniqueFd client = tcp_connect(listener.address());
    TlsCredentials broken{server_identity().credentials.certificate_pem, stranger_identity().credentials.key_pem};
    EXPECT_EQ(error_code_of([&] { TlsStream::accept(listener.accept(), broken, 500ms); }), "tls_setup");
    EXPECT_EQ(error_code_of([&] {
                  TlsStream::connect(listener.address(), {"not a pem", "nor this"}, {}, 500ms);
              }),
              "tls_setup");
}

TEST(TransportTls, DefaultStreamIsNotConnected) {
    TlsStream stream;
    EXPECT_FALSE(stream.valid());
    EXPECT_FALSE(stream.peer().has_value());
    EXPECT_EQ(stream.remote_address(), "");
    EXPECT_EQ(stream.fd(), -1);
    EXPECT_EQ(stream.pending(), 0u);
    char byte;
    EXPECT_EQ(error_code_of([&] { stream.read_some(&byte, 1); }), "tls_io");
    stream.close();
}

}  // namespace
}  // namespace microcloud::host::transport::test
