// tests/unit/transport/transport_test_support.hpp - certificates, sockets and an echo service for the tests.
#pragma once

#include "common/error.hpp"
#include "common/unique_fd.hpp"
#include "transport/peer_client.hpp"
#include "transport/peer_server.hpp"
#include "transport/tls_stream.hpp"
#include "trust/certificate.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace microcloud::host::transport::test {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct Identity {
    TlsCredentials credentials;
    std::string fingerprint;
};

inline Identity make_identity(const std::string& name) {
    const trust::CertificateAndKey generated = trust::generate_self_signed(name, {"127.0.0.1"});
    return {{generated.certificate_pem, generated.key_pem}, trust::fingerprint(generated.certificate_pem)};
}

// Made once per test binary: key generation is the slowest step of a test.
inline const Identity& server_identity() {
    static const Identity identity = make_identity("server");
    return identity;
}
inline const Identity& member_identity() {
    static const Identity identity = make_identity("member");
    return identity;
}
inline const Identity& stranger_identity() {
    static const Identity identity = make_identity("stranger");
    return identity;
}

// The code of the Error `action` throws ("" when it throws none, "other: ..." for another exception).
inline std::string error_code_of(const std::function<void()>& action, std::string* message = nullptr,
                                 nlohmann::json* details = nullptr) {
    try {
        action();
    } catch (const Error& error) {
        if (message) *message = error.what();
        if (details) *details = error.details();
        return error.code();
    } catch (const std::exception& error) {
        return std::string("other: ") + error.what();
    }
    return {};
}

// A plain TCP listener on 127.0.0.1 with a kernel-picked port.
class Listener {
public:
    Listener() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (!fd_ || ::bind(fd_.get(), reinterpret_cast<sockaddr*>(&address), length) != 0 ||
            ::listen(fd_.get(), 16) != 0 ||
            ::getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0) {
            throw std::runtime_error("cannot listen on 127.0.0.1");
        }
        port_ = ntohs(address.sin_port);
    }
    std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
    UniqueFd accept() const { return UniqueFd(::accept4(fd_.get(), nullptr, nullptr, SOCK_CLOEXEC)); }

private:
    UniqueFd fd_;
    int port_ = 0;
};

// A connected plain TCP socket to "127.0.0.1:port".
inline UniqueFd tcp_connect(const std::string& address) {
    const auto colon = address.rfind(':');
    sockaddr_in target{};
    target.sin_family = AF_INET;
    target.sin_port = htons(static_cast<uint16_t>(std::stoi(address.substr(colon + 1))));
    ::inet_pton(AF_INET, address.substr(0, colon).c_str(), &target.sin_addr);
    UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&target), sizeof target) != 0) {
        throw std::runtime_error("cannot connect to " + address);
    }
    return fd;
}

// An address nothing listens on: a port that was just free.
inline std::string closed_address() {
    return Listener().address();
}

// Reads exactly `size` bytes from a plain socket, within `timeout`; fewer when the stream ends or time runs out.
inline std::string read_plain(int fd, std::size_t size, std::chrono::milliseconds timeout = 2000ms) {
    std::string out;
    const auto deadline = Clock::now() + timeout;
    while (out.size() < size) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        pollfd waiting{fd, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&waiting, 1, static_cast<int>(left.count())) <= 0) break;
        char buffer[65536];
        const ssize_t got = ::recv(fd, buffer, std::min(sizeof buffer, size - out.size()), 0);
        if (got <= 0) break;
        out.append(buffer, static_cast<std::size_t>(got));
    }
    return out;
}

inline void write_plain(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t sent = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
        if (sent <= 0) throw std::runtime_error("send failed");
        done += static_cast<std::size_t>(sent);
    }
}

// Whether the other end of a plain socket closes within `timeout` (recv returns 0 or fails).
inline bool closes_within(int fd, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        pollfd waiting{fd, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&waiting, 1, static_cast<int>(left.count())) <= 0) return false;
        char buffer[4096];
        if (::recv(fd, buffer, sizeof buffer, 0) <= 0) return true;
    }
}

// Reads exactly `size` bytes from a TLS stream (fewer at its end).
inline std::string read_tls(TlsStream& stream, std::size_t size) {
    std::string out;
    while (out.size() < size) {
        char buffer[65536];
        const std::size_t got = stream.read_some(buffer, std::min(sizeof buffer, size - out.size()));
        if (got == 0) break;
        out.append(buffer, got);
    }
    return out;
}

inline void write_tls(TlsStream& stream, const std::string& data) {
    stream.write_all(data.data(), data.size());
}

// Polls `condition` until it holds or `timeout` passes.
inline bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 2000ms) {
    const auto deadline = Clock::now() + timeout;
    while (!condition()) {
        if (Clock::now() >= deadline) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

// Deterministic bytes of every value, to notice reordering or loss.
inline std::string pattern(std::size_t size) {
    std::string out(size, '\0');
    for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<char>((i * 131 + i / 251) & 0xff);
    return out;
}

// Local echo connections: each connection() returns one end of a socketpair whose other end a thread echoes
// until it ends. The destructor joins every thread.
class EchoService {
public:
    EchoService() = default;
    EchoService(const EchoService&) = delete;
    EchoService& operator=(const EchoService&) = delete;
    ~EchoService() {
        std::vector<std::thread> threads;
        {
            const std::lock_guard lock(mutex_);
            for (const auto& fd : echo_ends_) ::shutdown(fd.get(), SHUT_RDWR);
            threads.swap(threads_);
        }
        for (auto& thread : threads) thread.join();
    }

    UniqueFd connection() {
        int pair[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) throw std::runtime_error("socketpair");
        const std::lock_guard lock(mutex_);
        echo_ends_.emplace_back(pair[1]);
        const int echo = pair[1];
        threads_.emplace_back([echo] {
            char buffer[65536];
            while (true) {
                const ssize_t got = ::recv(echo, buffer, sizeof buffer, 0);
                if (got <= 0) break;
                if (::send(echo, buffer, static_cast<std::size_t>(got), MSG_NOSIGNAL) != got) break;
            }
            ::shutdown(echo, SHUT_RDWR);
        });
        return UniqueFd(pair[0]);
    }

private:
    std::mutex mutex_;
    std::vector<UniqueFd> echo_ends_;  // closed after the threads are joined
    std::vector<std::thread> threads_;
};

// Options for a server on 127.0.0.1:0 with the server identity, trusting the member identity only.
inline PeerServerOptions server_options() {
    PeerServerOptions options;
    options.listen_address = "127.0.0.1:0";
    options.credentials = server_identity().credentials;
    options.trusted = [fingerprint = member_identity().fingerprint](const std::string& presented) {
        return presented == fingerprint;
    };
    options.handshake_timeout = 2000ms;
    options.request_timeout = 2000ms;
    return options;
}

// Client options presenting `identity` and pinning the server identity.
inline PeerClientOptions client_options(const Identity& identity = member_identity()) {
    PeerClientOptions options;
    options.credentials = identity.credentials;
    options.server_fingerprints = {server_identity().fingerprint};
    options.connect_timeout = 2000ms;
    options.request_timeout = 2000ms;
    return options;
}

}  // namespace microcloud::host::transport::test
