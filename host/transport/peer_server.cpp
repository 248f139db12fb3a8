// host/transport/peer_server.cpp - the TLS listener: routing, trusted/open access, rate limits, caps (with
// slots kept for members), upgrades, and closing connections whose certificate lost the trust.
#include "transport/peer_server.hpp"

#include "api/envelope.hpp"
#include "common/error.hpp"
#include "transport/http_wire.hpp"
#include "transport/net_util.hpp"
#include "transport/rate_limiter.hpp"
#include "transport/socket_threads.hpp"
#include "transport/tls_context.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace microcloud::host::transport {

namespace {

using Clock = net::Clock;

// A pause after accept() failed for want of descriptors, so the loop does not spin on a readable listener.
constexpr int kAcceptBackoffMs = 100;

struct Route {
    Access access;
    PeerHandler handler;
};

struct UpgradeRoute {
    std::string protocol;
    UpgradeHandler handler;
};

// An open connection that presented a client certificate, watched so close_untrusted() can end it.
struct Watched {
    std::string fingerprint;
    int fd = -1;  // its socket: owned by the connection's thread, only ever shut down from elsewhere
    std::string remote;
    bool trusted = false;     // its request passed the trust check
    std::uint64_t epoch = 0;  // the trust epoch its check started in
};

PeerResponse error_answer(int status, const std::string& message, const std::string& code,
                          nlohmann::json details = nullptr) {
    return {status, api::error_response(status, message, code, std::move(details)).dump(), "application/json"};
}

}  // namespace

struct PeerServer::State {
    explicit State(PeerServerOptions opts)
        : options(std::move(opts)), limiter(options.open_per_second, options.open_burst) {}

    PeerServerOptions options;
    RateLimiter limiter;
    std::map<std::string, std::map<std::string, Route>> routes;  // path -> method -> route
    std::map<std::string, UpgradeRoute> upgrades;                // path -> upgrade

    UniqueFd listener;
    UniqueFd wake_read;  // stop() writes to wake_write; the accept thread polls wake_read
    UniqueFd wake_write;
    std::thread acceptor;
    std::string bound;

    mutable std::mutex mutex;  // guards everything below, and `bound`
    bool started = false;
    bool stopping = false;
    std::map<std::string, std::size_t> open_per_address;  // remote IP -> connections open from it
    SocketThreads connections;                            // one thread per open connection
    std::uint64_t trust_epoch = 0;                        // close_untrusted() calls so far
    std::uint64_t last_watch_id = 0;
    std::map<std::uint64_t, Watched> watched;  // connections that presented a certificate, by watch id

    void accept_loop();
    void admit(UniqueFd socket, const std::string& remote);
    std::size_t connection_limit(const std::string& host) const;
    bool take_address_slot(const std::string& host);
    void give_address_slot(const std::string& host);
    void serve(UniqueFd socket, const std::string& remote);
    void handle(TlsStream& stream, std::optional<std::uint64_t>& watch_id);
    bool passes_trust_check(const std::string& fingerprint);
    bool judge_trust(const TlsStream& stream, const std::string& fingerprint, std::optional<std::uint64_t>& watch_id);
    void unwatch(std::uint64_t id);
    PeerResponse dispatch(const PeerRequest& request, http::Headers& headers);
    void send(TlsStream& stream, const PeerResponse& response, const http::Headers& extra = {});
};

PeerServer::PeerServer(PeerServerOptions options) : state_(std::make_unique<State>(std::move(options))) {}

PeerServer::~PeerServer() {
    stop();
}

void PeerServer::route(const std::string& method, const std::string& path, Access access, PeerHandler handler) {
    const std::lock_guard lock(state_->mutex);
    if (state_->started) {
        throw Error("invalid_route", "cannot add route " + method + " " + path + ": the peer server already started",
                    {{"method", method}, {"path", path}});
    }
    if (method.empty() || path.empty() || path.front() != '/' || !handler) {
        throw Error("invalid_route",
                    "cannot add route \"" + method + " " + path +
                        "\": it needs a method, a path starting with '/' and a handler",
                    {{"method", method}, {"path", path}});
    }
    state_->routes[path][method] = Route{access, std::move(handler)};
}

void PeerServer::upgrade_route(const std::string& path, const std::string& protocol, UpgradeHandler handler) {
    const std::lock_guard lock(state_->mutex);
    if (state_->started) {
        throw Error("invalid_route", "cannot add upgrade route " + path + ": the peer server already started",
                    {{"path", path}});
    }
    if (path.empty() || path.front() != '/' || protocol.empty() || !handler) {
        throw Error(
            "invalid_route",
            "cannot add upgrade route \"" + path + "\": it needs a path starting with '/', a protocol and a handler",
            {{"path", path}, {"protocol", protocol}});
    }
    state_->upgrades[path] = UpgradeRoute{protocol, std::move(handler)};
}

void PeerServer::start() {
    State& s = *state_;
    const std::string& address = s.options.listen_address;
    auto fail = [&](const std::string& reason) {
        return Error("peer_listen_failed", "cannot listen on " + address + ": " + reason,
                     {{"address", address}, {"reason", reason}});
    };
    {
        const std::lock_guard lock(s.mutex);
        if (s.started) {
            throw fail("the peer server was started before");
        }
    }
    try {
        check_server_credentials(s.options.credentials);
    } catch (const Error& error) {
        throw fail(error.what());
    }

    const auto parts = net::split_host_port(address);
    if (!parts) {
        throw fail("not an ip:port or [ipv6]:port address");
    }
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    if (const int rc = ::getaddrinfo(parts->host.c_str(), parts->port.c_str(), &hints, &found); rc != 0) {
        throw fail(std::string("cannot resolve the host: ") + ::gai_strerror(rc));
    }
    const std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> results(found, &::freeaddrinfo);
    UniqueFd listener;
    std::string last_error = "no address found";
    for (const addrinfo* candidate = found; candidate != nullptr && !listener; candidate = candidate->ai_next) {
        UniqueFd fd(::socket(candidate->ai_family, candidate->ai_socktype | SOCK_CLOEXEC, candidate->ai_protocol));
        const int on = 1;
        if (!fd) {
            last_error = "cannot create a socket: " + net::errno_text(errno);
        } else if (::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 ||
                   ::bind(fd.get(), candidate->ai_addr, candidate->ai_addrlen) != 0 ||
                   ::listen(fd.get(), SOMAXCONN) != 0) {
            last_error = net::errno_text(errno);
        } else {
            listener = std::move(fd);
        }
    }
    if (!listener) {
        throw fail(last_error);
    }
    int wake[2] = {-1, -1};
    if (::pipe2(wake, O_CLOEXEC | O_NONBLOCK) != 0) {
        throw fail("cannot create a pipe: " + net::errno_text(errno));
    }
    UniqueFd wake_read(wake[0]);
    UniqueFd wake_write(wake[1]);

    const std::lock_guard lock(s.mutex);
    if (s.started) {
        throw fail("the peer server was started before");
    }
    s.bound = net::local_name(listener.get());
    s.listener = std::move(listener);
    s.wake_read = std::move(wake_read);
    s.wake_write = std::move(wake_write);
    s.acceptor = std::thread([&s] { s.accept_loop(); });
    s.started = true;
}

void PeerServer::stop() {
    State& s = *state_;
    {
        const std::lock_guard lock(s.mutex);
        if (!s.started || s.stopping) {
            return;
        }
        s.stopping = true;
        const char byte = 0;
        [[maybe_unused]] const auto ignored = ::write(s.wake_write.get(), &byte, 1);
    }
    if (s.acceptor.joinable()) {
        s.acceptor.join();
    }
    s.connections.stop();
    const std::lock_guard lock(s.mutex);
    s.listener.reset();
}

std::string PeerServer::bound_address() const {
    const std::lock_guard lock(state_->mutex);
    return state_->bound;
}

std::size_t PeerServer::close_untrusted() {
    State& s = *state_;
    std::vector<std::pair<std::uint64_t, std::string>> judged;  // watch id, fingerprint
    {
        const std::lock_guard lock(s.mutex);
        ++s.trust_epoch;  // checks that started before now are made again (judge_trust)
        for (const auto& [id, connection] : s.watched)
            if (connection.trusted) judged.emplace_back(id, connection.fingerprint);
    }
    std::size_t closed = 0;
    for (const auto& [id, fingerprint] : judged) {
        if (s.passes_trust_check(fingerprint)) continue;
        const std::lock_guard lock(s.mutex);
        const auto found = s.watched.find(id);
        if (found == s.watched.end() || !found->second.trusted) continue;  // it ended meanwhile
        found->second.trusted = false;
        ::shutdown(found->second.fd, SHUT_RDWR);
        ++closed;
        spdlog::info("peer server on {}: closed the connection from {}: certificate {} is no longer trusted", s.bound,
                     found->second.remote, fingerprint);
    }
    return closed;
}

void PeerServer::State::accept_loop() {
    while (true) {
        pollfd waiting[2] = {{listener.get(), POLLIN, 0}, {wake_read.get(), POLLIN, 0}};
        if (::poll(waiting, 2, -1) < 0) {
            continue;  // EINTR
        }
        if (waiting[1].revents != 0) {
            return;
        }
        sockaddr_storage peer{};
        socklen_t length = sizeof peer;
        UniqueFd socket(::accept4(listener.get(), reinterpret_cast<sockaddr*>(&peer), &length, SOCK_CLOEXEC));
        const int accept_error = errno;
        if (!socket) {
            if (accept_error == EMFILE || accept_error == ENFILE || accept_error == ENOBUFS || accept_error == ENOMEM) {
                spdlog::warn("peer server on {}: cannot accept: {}", bound, net::errno_text(accept_error));
                pollfd wake{wake_read.get(), POLLIN, 0};
                ::poll(&wake, 1, kAcceptBackoffMs);
            }
            continue;
        }
        admit(std::move(socket), net::format_address(reinterpret_cast<const sockaddr*>(&peer), length));
    }
}

// How many connections may be open when one from `host` is let in: all of them for a member's
// address, all but the members' reserve for a stranger's.
std::size_t PeerServer::State::connection_limit(const std::string& host) const {
    if (!options.member_address) return options.max_connections;
    bool member = false;
    try {
        member = options.member_address(host);
    } catch (const std::exception& error) {
        spdlog::warn("peer server on {}: cannot tell whether {} is a member's address: {}", bound, host, error.what());
    }
    if (member) return options.max_connections;
    return options.max_connections - std::min(options.reserved_for_members, options.max_connections);
}

// Counts a connection from `host` unless it already has max_connections_per_address open (or the
// server stops); false: refuse it.
bool PeerServer::State::take_address_slot(const std::string& host) {
    const std::lock_guard lock(mutex);
    std::size_t& open = open_per_address[host];
    if (stopping || open >= options.max_connections_per_address) {
        if (open == 0) open_per_address.erase(host);
        return false;
    }
    ++open;
    return true;
}

void PeerServer::State::give_address_slot(const std::string& host) {
    const std::lock_guard lock(mutex);
    const auto found = open_per_address.find(host);
    if (found != open_per_address.end() && --found->second == 0) open_per_address.erase(found);
}

void PeerServer::State::admit(UniqueFd socket, const std::string& remote) {
    const std::string host = net::host_of(remote);
    if (!take_address_slot(host)) {
        spdlog::debug("peer server on {}: refusing {}: {} connections from {} open", bound, remote,
                      options.max_connections_per_address, host);
        return;
    }
    const int fd = socket.get();
    const std::size_t limit = connection_limit(host);
    bool started = false;
    try {
        started = connections.start(
            {fd},
            [this, remote, host, socket = std::make_shared<UniqueFd>(std::move(socket))] {
                serve(std::move(*socket), remote);
                give_address_slot(host);
            },
            limit);
        if (!started)
            spdlog::debug("peer server on {}: refusing {}: {} connections open, {} allowed for its address", bound,
                          remote, connections.active(), limit);
    } catch (const Error& error) {
        spdlog::warn("peer server on {}: no thread for {}: {}", bound, remote, error.what());
    }
    if (!started) give_address_slot(host);
}

void PeerServer::State::serve(UniqueFd socket, const std::string& remote) {
    TlsStream stream;
    try {
        stream = TlsStream::accept(std::move(socket), options.credentials, options.handshake_timeout);
    } catch (const Error& error) {
        spdlog::debug("peer server on {}: {}", bound, error.what());
        return;
    }
    std::optional<std::uint64_t> watch_id;  // set while close_untrusted() may shut the connection down
    try {
        handle(stream, watch_id);
    } catch (const std::exception& error) {
        spdlog::debug("peer server on {}: connection from {}: {}", bound, remote, error.what());
    }
    if (watch_id) unwatch(*watch_id);  // before the socket closes: its number may be reused
    stream.close();
}

bool PeerServer::State::passes_trust_check(const std::string& fingerprint) {
    try {
        return options.trusted(fingerprint);
    } catch (const std::exception& error) {
        spdlog::warn("peer server on {}: the trust check failed: {}", bound, error.what());
        return false;
    }
}

// The trust check of a connection's request. A trusted connection stays watched (`watch_id`), so
// close_untrusted() can end it; a check that raced with close_untrusted() is made again, so a
// certificate whose trust was withdrawn meanwhile is never let in.
bool PeerServer::State::judge_trust(const TlsStream& stream, const std::string& fingerprint,
                                    std::optional<std::uint64_t>& watch_id) {
    {
        const std::lock_guard lock(mutex);
        watch_id = ++last_watch_id;
        watched[*watch_id] = Watched{fingerprint, stream.fd(), stream.remote_address(), false, trust_epoch};
    }
    while (passes_trust_check(fingerprint)) {
        const std::lock_guard lock(mutex);
        Watched& connection = watched.at(*watch_id);
        connection.trusted = true;
        if (connection.epoch == trust_epoch) return true;
        connection.epoch = trust_epoch;  // trust changed while checking: check again
    }
    unwatch(*watch_id);
    watch_id.reset();
    return false;
}

void PeerServer::State::unwatch(std::uint64_t id) {
    const std::lock_guard lock(mutex);
    watched.erase(id);
}

void PeerServer::State::send(TlsStream& stream, const PeerResponse& response, const http::Headers& extra) {
    http::Headers headers{{"Connection", "close"}};
    if (!response.content_type.empty()) {
        headers.emplace_back("Content-Type", response.content_type);
    }
    headers.insert(headers.end(), extra.begin(), extra.end());
    const std::string text = http::response_text(response.status, headers, response.body);
    stream.set_timeout(options.request_timeout);
    stream.write_all(text.data(), text.size());
}

void PeerServer::State::handle(TlsStream& stream, std::optional<std::uint64_t>& watch_id) {
    http::Message message;
    try {
        message = http::read_request(stream, Clock::now() + options.request_timeout, options.max_body_bytes);
    } catch (const Error& error) {
        const std::string& code = error.code();
        if (code == "http_invalid" || code == "http_head_too_large" || code == "http_body_too_large") {
            const int status = code == "http_invalid" ? 400 : code == "http_head_too_large" ? 431 : 413;
            send(stream,
                 error_answer(status, error.what(), code == "http_invalid" ? "invalid_request" : "request_too_large"));
        } else {
            spdlog::debug("peer server on {}: {}", bound, error.what());
        }
        return;
    }

    PeerRequest request;
    request.method = std::move(message.method);
    const auto question = message.target.find('?');
    request.path = message.target.substr(0, question);
    request.query = question == std::string::npos ? std::string() : message.target.substr(question + 1);
    request.headers = std::move(message.headers);
    request.body = std::move(message.body);
    request.remote_address = stream.remote_address();
    request.client = stream.peer();
    if (request.client && options.trusted) request.trusted = judge_trust(stream, request.client->fingerprint, watch_id);

    const auto upgrade = upgrades.find(request.path);
    if (upgrade != upgrades.end()) {
        const auto header = [&](const std::string& name) {
            const auto found = request.headers.find(name);
            return found == request.headers.end() ? std::string() : found->second;
        };
        const bool wants = request.method == "GET" && http::has_token(header("connection"), "upgrade") &&
                           http::iequals(header("upgrade"), upgrade->second.protocol);
        if (wants) {
            if (!request.trusted) {
                send(stream,
                     error_answer(403,
                                  "upgrading " + request.path + " is only for cluster members: " +
                                      (request.client ? "certificate " + request.client->fingerprint + " is not trusted"
                                                      : std::string("no client certificate was presented")),
                                  "forbidden"));
                return;
            }
            const std::string switching =
                http::response_text(101, {{"Connection", "Upgrade"}, {"Upgrade", upgrade->second.protocol}}, "");
            stream.set_timeout(options.request_timeout);
            stream.write_all(switching.data(), switching.size());
            stream.set_timeout(std::chrono::milliseconds(0));
            try {
                upgrade->second.handler(request, stream);
            } catch (const std::exception& error) {
                spdlog::debug("peer server on {}: {} upgrade from {} ended: {}", bound, upgrade->second.protocol,
                              request.remote_address, error.what());
            }
            return;
        }
        if (routes.find(request.path) == routes.end()) {
            if (request.method != "GET") {
                send(stream,
                     error_answer(405, "method " + request.method + " is not allowed on " + request.path,
                                  "method_not_allowed"),
                     {{"Allow", "GET"}});
            } else {
                send(stream,
                     error_answer(426,
                                  request.path + " must be requested with \"Connection: Upgrade\" and \"Upgrade: " +
                                      upgrade->second.protocol + "\"",
                                  "upgrade_required"),
                     {{"Upgrade", upgrade->second.protocol}, {"Connection", "Upgrade"}});
            }
            return;
        }
    }
    http::Headers headers;
    const PeerResponse response = dispatch(request, headers);
    send(stream, response, headers);
}

// The answer to a request for a plain route; `headers` receives any extra response headers.
PeerResponse PeerServer::State::dispatch(const PeerRequest& request, http::Headers& headers) {
    const auto path = routes.find(request.path);
    if (path == routes.end()) {
        return error_answer(404, "no such path: " + request.path, "not_found", {{"path", request.path}});
    }
    const auto route = path->second.find(request.method);
    if (route == path->second.end()) {
        std::string allowed;
        for (const auto& [method, unused] : path->second) {
            allowed += (allowed.empty() ? "" : ", ") + method;
        }
        headers.emplace_back("Allow", allowed);
        return error_answer(
            405, "method " + request.method + " is not allowed on " + request.path + " (allowed: " + allowed + ")",
            "method_not_allowed", {{"path", request.path}, {"allowed", allowed}});
    }
    if (route->second.access == Access::trusted && !request.trusted) {
        return error_answer(403,
                            request.method + " " + request.path + " is only for cluster members: " +
                                (request.client ? "certificate " + request.client->fingerprint + " is not trusted"
                                                : std::string("no client certificate was presented")),
                            "forbidden", {{"path", request.path}});
    }
    if (route->second.access == Access::open && !limiter.allow(net::host_of(request.remote_address))) {
        return error_answer(429,
                            "too many requests from " + net::host_of(request.remote_address) + " to " + request.path +
                                "; try again later",
                            "rate_limited", {{"path", request.path}});
    }
    try {
        return route->second.handler(request);
    } catch (const Error& error) {
        return error_answer(api::http_status_for(error.code()), error.what(), error.code(), error.details());
    } catch (const std::exception& error) {
        return error_answer(500, request.method + " " + request.path + " failed: " + error.what(), "internal_error");
    }
}

}  // namespace microcloud::host::transport
