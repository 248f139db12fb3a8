// host/transport/peer_client.hpp - requests from this member to another member's port 9443 over
// mutual TLS, HTTP upgrades to raw streams, and the dqlite dialer that tunnels raft and client
// traffic through them.
#pragma once

#include "cluster/dqlite_dial.hpp"
#include "common/unique_fd.hpp"
#include "transport/peer_server.hpp"
#include "transport/tls_stream.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace microcloud::host::transport {

struct PeerClientOptions {
    TlsCredentials credentials{};                     // our certificate, presented as the client's
    std::vector<std::string> server_fingerprints{};   // accepted server certificates
    std::chrono::milliseconds connect_timeout{3000};  // TCP connect plus TLS handshake
    std::chrono::milliseconds request_timeout{10000};
    // Asked every quarter second while a request waits for its answer; true closes the connection
    // and the request throws Error("cancelled"). Empty: the request is not cancellable.
    std::function<bool()> cancelled{};
};

// One HTTP/1.1 request ("Connection: close"); returns the status and body whatever the status.
// Throws TlsStream's errors, Error("peer_unreachable") when nothing accepts the connection and
// Error("peer_bad_response") for a malformed answer.
PeerResponse peer_request(const std::string& address, const std::string& method, const std::string& target,
                          const std::string& body, const PeerClientOptions& options);

// Sends "GET target" asking to upgrade to `protocol`; returns the stream once the server answered
// 101. Throws as peer_request, and Error("peer_upgrade_refused") (details: status, body) for any
// other answer.
TlsStream peer_upgrade(const std::string& address, const std::string& target, const std::string& protocol,
                       const PeerClientOptions& options);

// Connects to "host:port" and returns the fingerprint of the certificate the server presents,
// trusting nothing (trust on first use: the caller must prove the server's identity another
// way, e.g. with a passphrase bound to this fingerprint). Throws as peer_request.
std::string fetch_server_fingerprint(const std::string& address, const TlsCredentials& credentials,
                                     std::chrono::milliseconds timeout);

// Copies bytes both ways between `tls` and the plain stream socket `plain` until either side
// ends or fails; then closes both. Blocks the calling thread.
void bridge(TlsStream& tls, UniqueFd plain);

// Owns the threads that bridge client-side tunnels. stop() (and the destructor) shuts every
// tunnel down and joins the threads.
class Tunnels {
public:
    Tunnels();
    ~Tunnels();
    Tunnels(const Tunnels&) = delete;
    Tunnels& operator=(const Tunnels&) = delete;

    // Returns one end of a socketpair whose other end is bridged to `stream` on a new thread.
    UniqueFd attach(TlsStream stream);
    void stop();
    std::size_t active() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

// A dqlite Dialer reaching "host:port" through peer_upgrade(address, "/1.0/dqlite", "dqlite")
// and a tunnel in `tunnels`; the options are read at each dial (`options` is called then), so
// credentials and pinned fingerprints may change while the node runs. Thread-safe.
cluster::Dialer tunnel_dialer(Tunnels& tunnels, std::function<PeerClientOptions()> options);

}  // namespace microcloud::host::transport
