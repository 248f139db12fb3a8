// host/transport/peer_client.cpp - requests and upgrades to other members, bridge(), and the dqlite tunnels.
#include "transport/peer_client.hpp"

#include "common/error.hpp"
#include "transport/http_wire.hpp"
#include "transport/net_util.hpp"
#include "transport/socket_threads.hpp"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <array>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>

namespace microcloud::host::transport {

namespace {

using Clock = net::Clock;

// The largest answer body a member accepts from another.
constexpr std::size_t kMaxResponseBody = 16 * 1024 * 1024;
// How long the bridge waits for the rest of a TLS record once its socket was readable; then it polls again.
constexpr std::chrono::milliseconds kBridgeReadSlice{200};
constexpr std::size_t kBridgeBuffer = 64 * 1024;
// How often a request with a `cancelled` check asks it.
constexpr std::chrono::milliseconds kCancelSlice{250};

const char* const kUserAgent = "microcloudd";

TlsStream open_stream(const std::string& address, const PeerClientOptions& options) {
    return TlsStream::connect(address, options.credentials, options.server_fingerprints, options.connect_timeout);
}

// Sends `text` and reads the answer, mapping what the HTTP layer reports to the client's errors.
http::Message exchange(TlsStream& stream, const std::string& address, const std::string& method,
                       const std::string& text, const PeerClientOptions& options) {
    const auto deadline = Clock::now() + options.request_timeout;
    std::atomic<bool> cancelled{false};
    std::optional<std::jthread> watcher;
    if (options.cancelled) {
        // Shutting the socket down wakes the read below, whatever it waits for.
        watcher.emplace([&](std::stop_token stop) {
            std::mutex mutex;
            std::condition_variable_any wake;
            std::unique_lock lock(mutex);
            while (!wake.wait_for(lock, stop, kCancelSlice, [] { return false; })) {
                if (stop.stop_requested()) return;
                if (options.cancelled()) {
                    cancelled = true;
                    ::shutdown(stream.fd(), SHUT_RDWR);
                    return;
                }
            }
        });
    }
    try {
        stream.set_timeout(options.request_timeout);
        stream.write_all(text.data(), text.size());
        return http::read_response(stream, method, deadline, kMaxResponseBody);
    } catch (const Error& error) {
        if (watcher) watcher.reset();  // stops and joins it
        if (cancelled)
            throw Error("cancelled", "The request to " + address + " was cancelled from the command line",
                        {{"address", address}});
        const std::string& code = error.code();
        if (code == "http_closed") {
            throw Error("tls_io", address + " closed the connection without answering", {{"address", address}});
        }
        if (code.rfind("http_", 0) == 0) {
            throw Error("peer_bad_response", "malformed answer from " + address + ": " + error.what(),
                        {{"address", address}});
        }
        throw;
    }
}

std::string header_or(const http::Message& message, const std::string& name, const std::string& fallback) {
    const auto found = message.headers.find(name);
    return found == message.headers.end() ? fallback : found->second;
}

// Writes all of `data` to a plain stream socket, blocking or not.
bool send_all(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        const ssize_t sent = ::send(fd, data, size, MSG_NOSIGNAL);
        if (sent > 0) {
            data += sent;
            size -= static_cast<std::size_t>(sent);
        } else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            net::wait_fd(fd, POLLOUT, std::nullopt);
        } else if (sent < 0 && errno == EINTR) {
            continue;
        } else {
            return false;
        }
    }
    return true;
}

}  // namespace

PeerResponse peer_request(const std::string& address, const std::string& method, const std::string& target,
                          const std::string& body, const PeerClientOptions& options) {
    TlsStream stream = open_stream(address, options);
    http::Headers headers{{"Host", address}, {"User-Agent", kUserAgent}, {"Connection", "close"}};
    if (!body.empty()) {
        headers.emplace_back("Content-Type", "application/json");
    }
    const http::Message reply =
        exchange(stream, address, method, http::request_text(method, target, headers, body), options);
    stream.close();
    return PeerResponse{reply.status, reply.body, header_or(reply, "content-type", "")};
}

TlsStream peer_upgrade(const std::string& address, const std::string& target, const std::string& protocol,
                       const PeerClientOptions& options) {
    TlsStream stream = open_stream(address, options);
    const http::Headers headers{
        {"Host", address}, {"User-Agent", kUserAgent}, {"Connection", "Upgrade"}, {"Upgrade", protocol}};
    // The head of the answer is read byte by byte: whatever the server sends after the 101 stays in the stream.
    const http::Message reply =
        exchange(stream, address, "GET", http::request_text("GET", target, headers, ""), options);
    if (reply.status != 101) {
        stream.close();
        std::string reason;
        const auto document = nlohmann::json::parse(reply.body, nullptr, false);
        if (document.is_object() && document.value("type", "") == "error") {
            reason = ": " + document.value("error", "");
        }
        throw Error("peer_upgrade_refused",
                    address + " refused to upgrade " + target + " to " + protocol + " (HTTP " +
                        std::to_string(reply.status) + ")" + reason,
                    {{"address", address}, {"status", reply.status}, {"body", reply.body}});
    }
    if (!http::iequals(header_or(reply, "upgrade", ""), protocol)) {
        stream.close();
        throw Error(
            "peer_bad_response",
            address + " switched " + target + " to \"" + header_or(reply, "upgrade", "") + "\", not " + protocol,
            {{"address", address}});
    }
    stream.set_timeout(std::chrono::milliseconds(0));
    return stream;
}

std::string fetch_server_fingerprint(const std::string& address, const TlsCredentials& credentials,
                                     std::chrono::milliseconds timeout) {
    try {
        TlsStream::connect(address, credentials, {}, timeout);
    } catch (const Error& error) {
        // With nothing pinned the handshake completes and the check refuses, naming what it saw.
        if (error.code() == "peer_untrusted" && error.details().contains("presented") &&
            error.details()["presented"].is_string() && !error.details()["presented"].get<std::string>().empty())
            return error.details()["presented"].get<std::string>();
        throw;
    }
    throw Error("peer_bad_response", "The server at " + address + " was accepted with nothing pinned",
                {{"address", address}});
}

void bridge(TlsStream& tls, UniqueFd plain) {
    std::vector<char> buffer(kBridgeBuffer);
    try {
        while (true) {
            // Bytes OpenSSL already decrypted never make the socket readable again: hand them on first.
            const bool buffered = tls.pending() > 0;
            pollfd waiting[2] = {{tls.fd(), POLLIN, 0}, {plain.get(), POLLIN, 0}};
            if (::poll(waiting, 2, buffered ? 0 : -1) < 0) {
                if (errno == EINTR) {
                    continue;
                }
                break;
            }
            if ((waiting[0].revents | waiting[1].revents) & POLLNVAL) {
                break;
            }
            if (buffered || waiting[0].revents != 0) {
                tls.set_timeout(kBridgeReadSlice);
                std::size_t got = 0;
                try {
                    got = tls.read_some(buffer.data(), buffer.size());
                } catch (const Error& error) {
                    if (error.code() != "tls_timeout") {
                        throw;
                    }
                    continue;  // a partial record, or no application data in it: wait for more
                }
                if (got == 0 || !send_all(plain.get(), buffer.data(), got)) {
                    break;
                }
            }
            if (waiting[1].revents != 0) {
                const ssize_t got = ::recv(plain.get(), buffer.data(), buffer.size(), MSG_DONTWAIT);
                if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
                    continue;
                }
                if (got <= 0) {
                    break;
                }
                tls.set_timeout(std::chrono::milliseconds(0));
                tls.write_all(buffer.data(), static_cast<std::size_t>(got));
            }
        }
    } catch (const std::exception& error) {
        spdlog::debug("bridge with {} ended: {}", tls.remote_address(), error.what());
    }
    tls.close();
    ::shutdown(plain.get(), SHUT_RDWR);
}

struct Tunnels::State {
    SocketThreads threads;  // one per tunnel, running bridge()
};

Tunnels::Tunnels() : state_(std::make_unique<State>()) {}

Tunnels::~Tunnels() {
    stop();
}

UniqueFd Tunnels::attach(TlsStream stream) {
    const std::string remote = stream.remote_address();
    int pair[2] = {-1, -1};
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
        throw Error("tunnel_failed",
                    "cannot create a socket pair for the tunnel to " + remote + ": " + net::errno_text(errno),
                    {{"address", remote}});
    }
    UniqueFd ours(pair[0]);
    const int tls_fd = stream.fd();
    auto ends = std::make_shared<std::pair<TlsStream, UniqueFd>>(std::move(stream), UniqueFd(pair[1]));
    bool started = false;
    try {
        started = state_->threads.start({tls_fd, pair[1]}, [ends] { bridge(ends->first, std::move(ends->second)); });
    } catch (const Error& error) {
        throw Error("tunnel_failed", "cannot start the tunnel to " + remote + ": " + error.what(),
                    {{"address", remote}});
    }
    if (!started) {
        throw Error("tunnel_failed", "cannot open a tunnel to " + remote + ": the tunnels are shutting down",
                    {{"address", remote}});
    }
    return ours;
}

void Tunnels::stop() {
    state_->threads.stop();
}

std::size_t Tunnels::active() const {
    return state_->threads.active();
}

cluster::Dialer tunnel_dialer(Tunnels& tunnels, std::function<PeerClientOptions()> options) {
    return [&tunnels, options = std::move(options)](const std::string& address) -> int {
        const PeerClientOptions current = options ? options() : PeerClientOptions{};
        return tunnels.attach(peer_upgrade(address, "/1.0/dqlite", "dqlite", current)).release();
    };
}

}  // namespace microcloud::host::transport
