// host/transport/peer_client.cpp - requests and upgrades to other members, bridge(), and the dqlite tunnels.
#include "transport/peer_client.hpp"

#include "common/error.hpp"
#include "transport/http_wire.hpp"
#include "transport/net_util.hpp"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cerrno>
#include <list>
#include <mutex>
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

const char* const kUserAgent = "microcloudd";

TlsStream open_stream(const std::string& address, const PeerClientOptions& options) {
    return TlsStream::connect(address, options.credentials, options.server_fingerprints, options.connect_timeout);
}

// Sends `text` and reads the answer, mapping what the HTTP layer reports to the client's errors.
http::Message exchange(TlsStream& stream, const std::string& address, const std::string& method,
                       const std::string& text, const PeerClientOptions& options) {
    const auto deadline = Clock::now() + options.request_timeout;
    try {
        stream.set_timeout(options.request_timeout);
        stream.write_all(text.data(), text.size());
        return http::read_response(stream, method, deadline, kMaxResponseBody);
    } catch (const Error& error) {
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

namespace {

// One bridged tunnel; the duplicates let stop() shut both sockets down without racing the thread's closing.
struct Tunnel {
    std::thread thread;
    UniqueFd tls_watch;
    UniqueFd plain_watch;
    bool done = false;
};

}  // namespace

struct Tunnels::State {
    mutable std::mutex mutex;
    std::list<Tunnel> tunnels;
    bool stopped = false;

    std::vector<std::thread> take_finished() {
        std::vector<std::thread> finished;
        for (auto it = tunnels.begin(); it != tunnels.end();) {
            if (it->done) {
                finished.push_back(std::move(it->thread));
                it = tunnels.erase(it);
            } else {
                ++it;
            }
        }
        return finished;
    }
};

Tunnels::Tunnels() : state_(std::make_unique<State>()) {}

Tunnels::~Tunnels() {
    stop();
}

UniqueFd Tunnels::attach(TlsStream stream) {
    State& s = *state_;
    const std::string remote = stream.remote_address();
    int pair[2] = {-1, -1};
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
        throw Error("tunnel_failed",
                    "cannot create a socket pair for the tunnel to " + remote + ": " + net::errno_text(errno),
                    {{"address", remote}});
    }
    UniqueFd ours(pair[0]);
    UniqueFd theirs(pair[1]);
    UniqueFd tls_watch(::fcntl(stream.fd(), F_DUPFD_CLOEXEC, 0));
    UniqueFd plain_watch(::fcntl(theirs.get(), F_DUPFD_CLOEXEC, 0));
    if (!tls_watch || !plain_watch) {
        throw Error("tunnel_failed",
                    "cannot duplicate the sockets of the tunnel to " + remote + ": " + net::errno_text(errno),
                    {{"address", remote}});
    }

    std::vector<std::thread> finished;
    {
        const std::lock_guard lock(s.mutex);
        if (s.stopped) {
            throw Error("tunnel_failed", "cannot open a tunnel to " + remote + ": the tunnels are shutting down",
                        {{"address", remote}});
        }
        finished = s.take_finished();
        auto entry = s.tunnels.emplace(s.tunnels.end());
        entry->tls_watch = std::move(tls_watch);
        entry->plain_watch = std::move(plain_watch);
        try {
            entry->thread = std::thread([&s, entry, tls = std::move(stream), plain = std::move(theirs)]() mutable {
                bridge(tls, std::move(plain));
                const std::lock_guard done_lock(s.mutex);
                entry->tls_watch.reset();
                entry->plain_watch.reset();
                entry->done = true;
            });
        } catch (const std::system_error& error) {
            s.tunnels.erase(entry);
            throw Error("tunnel_failed", "cannot start the tunnel to " + remote + ": " + error.what(),
                        {{"address", remote}});
        }
    }
    for (std::thread& thread : finished) {
        thread.join();
    }
    return ours;
}

void Tunnels::stop() {
    State& s = *state_;
    std::vector<std::thread> threads;
    {
        const std::lock_guard lock(s.mutex);
        s.stopped = true;
        for (Tunnel& tunnel : s.tunnels) {
            if (tunnel.tls_watch) {
                ::shutdown(tunnel.tls_watch.get(), SHUT_RDWR);
            }
            if (tunnel.plain_watch) {
                ::shutdown(tunnel.plain_watch.get(), SHUT_RDWR);
            }
            threads.push_back(std::move(tunnel.thread));
        }
    }
    for (std::thread& thread : threads) {
        if (thread.joinable()) {
            thread.join();
        }
    }
    const std::lock_guard lock(s.mutex);
    s.tunnels.clear();
}

std::size_t Tunnels::active() const {
    const std::lock_guard lock(state_->mutex);
    std::size_t count = 0;
    for (const Tunnel& tunnel : state_->tunnels) {
        count += tunnel.done ? 0 : 1;
    }
    return count;
}

cluster::Dialer tunnel_dialer(Tunnels& tunnels, std::function<PeerClientOptions()> options) {
    return [&tunnels, options = std::move(options)](const std::string& address) -> int {
        const PeerClientOptions current = options ? options() : PeerClientOptions{};
        return tunnels.attach(peer_upgrade(address, "/1.0/dqlite", "dqlite", current)).release();
    };
}

}  // namespace microcloud::host::transport
