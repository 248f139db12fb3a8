// host/transport/peer_server.hpp - the member's one TCP listener (port 9443): HTTPS with mutual TLS
// for peers, request routing with per-route access (trusted peers only, or open and rate-limited),
// HTTP upgrades to raw streams (how dqlite traffic crosses the TLS port), connection slots kept
// for members' addresses, and closing the connections of a certificate no longer trusted.
#pragma once

#include "transport/tls_stream.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace microcloud::host::transport {

inline constexpr int kDefaultPeerPort = 9443;

struct PeerRequest {
    std::string method{};
    std::string path{};                            // without the query
    std::string query{};                           // after '?', raw
    std::map<std::string, std::string> headers{};  // names lowercased
    std::string body{};
    std::string remote_address{};             // "ip:port"
    std::optional<PeerCertificate> client{};  // the certificate the peer presented
    bool trusted = false;                     // client certificate accepted by the trust check
};

struct PeerResponse {
    int status = 200;
    std::string body{};  // JSON: an api envelope
    std::string content_type = "application/json";
};

using PeerHandler = std::function<PeerResponse(const PeerRequest&)>;
// Runs on the connection's thread after the 101 answer was sent, with the raw stream; the
// connection ends when it returns.
using UpgradeHandler = std::function<void(const PeerRequest&, TlsStream&)>;

enum class Access {
    trusted,  // only peers whose certificate passes the trust check; others get 403
    open,     // anyone, rate-limited per remote IP (429 beyond the limit)
};

struct PeerServerOptions {
    std::string listen_address{};  // "ip:port"; port 0 picks a free one (tests)
    TlsCredentials credentials{};  // what the server presents
    // Whether a client certificate fingerprint is trusted; called for every request that
    // presented one. Must be thread-safe.
    std::function<bool(const std::string& fingerprint)> trusted{};
    std::size_t max_connections = 128;  // further connections are closed at once
    // Whether a remote IP is a cluster member's address. Must be thread-safe. Connections from
    // other addresses (strangers) may take only max_connections - reserved_for_members slots, so
    // strangers from many addresses cannot take the slots the members need. Empty: no address is
    // told apart, every connection may take any slot.
    std::function<bool(const std::string& ip)> member_address{};
    std::size_t reserved_for_members = 64;
    // Connections from one remote IP at once, handshakes included; further ones from it are closed at
    // once, so one address holding idle or half-done connections cannot take every slot from the
    // members (a member keeps a few: its dqlite tunnels, probes, hook calls).
    std::size_t max_connections_per_address = 16;
    std::chrono::milliseconds handshake_timeout{5000};
    std::chrono::milliseconds request_timeout{10000};  // reading one request, writing its answer
    std::size_t max_body_bytes = 1 << 20;
    // Open routes: at most `open_burst` requests per remote IP, refilled at `open_per_second`.
    double open_per_second = 2.0;
    double open_burst = 10.0;
};

class PeerServer {
public:
    explicit PeerServer(PeerServerOptions options);
    ~PeerServer();  // stop()
    PeerServer(const PeerServer&) = delete;
    PeerServer& operator=(const PeerServer&) = delete;

    // Exact path match. Unknown paths get 404, known paths with another method 405, all as api
    // error envelopes. A handler that throws Error gets an error envelope naming its code (400
    // for invalid_* codes, 403 for *_untrusted/*forbidden, 404 for *_not_found, 409 for *_exists,
    // 500 otherwise); other exceptions give 500. Register routes before start().
    void route(const std::string& method, const std::string& path, Access access, PeerHandler handler);
    // GET `path` with "Connection: Upgrade" and "Upgrade: <protocol>" from a trusted peer gets
    // "101 Switching Protocols" and is handed to `handler`.
    void upgrade_route(const std::string& path, const std::string& protocol, UpgradeHandler handler);

    // Binds and starts accepting on a thread of its own; throws Error("peer_listen_failed").
    void start();
    // Stops accepting, shuts down every open connection (upgraded ones too) and joins every
    // thread. Safe to call twice.
    void stop();
    // "ip:port" actually bound (the picked port after binding port 0).
    std::string bound_address() const;
    // Asks the trust check again for every open connection whose request was let in as trusted
    // (upgraded streams such as dqlite tunnels, requests still being served) and shuts down those
    // whose certificate no longer passes it; call after trust in a certificate was withdrawn.
    // A request that passed its trust check concurrently is checked again before it is served.
    // Returns how many connections it shut down. Thread-safe; handlers may call it.
    std::size_t close_untrusted();

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace microcloud::host::transport
