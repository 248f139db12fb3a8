// host/transport/tls_stream.hpp - one TLS connection over a TCP socket (OpenSSL), blocking with
// deadlines, plus the TLS contexts a member uses: its own certificate on both ends, peers checked
// by certificate fingerprint (the handshake never consults a CA).
#pragma once

#include "common/unique_fd.hpp"

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace microcloud::host::transport {

struct TlsCredentials;
}  // namespace microcloud::host::transport

struct ssl_ctx_st;  // OpenSSL's SSL_CTX

namespace microcloud::host::transport {

// The OpenSSL contexts (client and server side) made from one certificate and key, kept for the next
// connection. Making one parses the key and fetches OpenSSL's algorithms, which took about as much CPU as
// the handshake's own signatures; a member that asks 50 others did it 50 times a round. Thread-safe.
class TlsContexts {
public:
    TlsContexts();
    ~TlsContexts();
    TlsContexts(const TlsContexts&) = delete;
    TlsContexts& operator=(const TlsContexts&) = delete;

    // The context for `credentials` on that side: the kept one while the PEMs are the ones it was made
    // from, else a new one (kept from then on). Throws Error("tls_setup") when OpenSSL refuses them.
    std::shared_ptr<ssl_ctx_st> get(bool server, const TlsCredentials& credentials);

private:
    struct Kept;
    std::mutex mutex_;
    std::unique_ptr<Kept> client_;
    std::unique_ptr<Kept> server_;
};

// A certificate and its private key, both PEM, and the TLS contexts made from them (shared by copies).
struct TlsCredentials {
    std::string certificate_pem;
    std::string key_pem;
    std::shared_ptr<TlsContexts> contexts = std::make_shared<TlsContexts>();
};

// The certificate the other end presented.
struct PeerCertificate {
    std::string pem;
    std::string fingerprint;  // SHA-256 of the DER, lowercase hex
};

// Errors are Error("tls_handshake_failed"), Error("tls_io") (a read or write failed or the peer
// went away), Error("tls_timeout"), Error("peer_untrusted") (the server's certificate is not one
// of the pinned fingerprints) and Error("tls_setup") (OpenSSL refused the credentials).
class TlsStream {
public:
    TlsStream();  // not connected
    ~TlsStream();
    TlsStream(TlsStream&&) noexcept;
    TlsStream& operator=(TlsStream&&) noexcept;
    TlsStream(const TlsStream&) = delete;
    TlsStream& operator=(const TlsStream&) = delete;

    // Server side of an accepted socket: presents `credentials`, asks for a client certificate
    // but accepts a connection without one (the caller authorises per request).
    static TlsStream accept(UniqueFd socket, const TlsCredentials& credentials, std::chrono::milliseconds timeout);
    // Client side: connects to "host:port" (or "[v6]:port"), presents `credentials` and accepts
    // the server only when its certificate's fingerprint is one of `server_fingerprints`.
    static TlsStream connect(const std::string& address, const TlsCredentials& credentials,
                             const std::vector<std::string>& server_fingerprints, std::chrono::milliseconds timeout);

    bool valid() const noexcept;
    // The other end's certificate; nullopt when it presented none.
    const std::optional<PeerCertificate>& peer() const noexcept;
    // "ip:port" of the other end.
    const std::string& remote_address() const noexcept;

    // Deadline for each later read or write; zero means none.
    void set_timeout(std::chrono::milliseconds timeout);
    // Reads at least one byte; returns 0 at a clean end of stream.
    std::size_t read_some(void* data, std::size_t size);
    // Writes everything.
    void write_all(const void* data, std::size_t size);
    // Bytes OpenSSL has decrypted but not handed out yet.
    std::size_t pending() const;
    // The TCP socket (for poll); the stream keeps it.
    int fd() const noexcept;
    // Sends close_notify (best effort) and shuts the socket down; reads and writes fail after.
    void close();

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace microcloud::host::transport
