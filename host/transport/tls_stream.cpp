// host/transport/tls_stream.cpp - one TLS 1.3 connection (OpenSSL 3) with poll() deadlines and pinned peers.
#include "transport/tls_stream.hpp"
#include "common/hex.hpp"

#include "cluster/dqlite_dial.hpp"
#include "common/error.hpp"
#include "transport/net_util.hpp"
#include "transport/tls_context.hpp"
#include "trust/openssl_ptr.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstring>

#include <mutex>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>

namespace microcloud::host::transport {

namespace {

using Clock = net::Clock;
using SslCtxPtr = std::unique_ptr<SSL_CTX, trust::OpenSslDeleter<SSL_CTX_free>>;
using SslPtr = std::unique_ptr<SSL, trust::OpenSslDeleter<SSL_free>>;
using BioMethodPtr = std::unique_ptr<BIO_METHOD, trust::OpenSslDeleter<BIO_meth_free>>;

// Our own socket BIO: OpenSSL's writes with write(2), which raises SIGPIPE when the peer has gone; this one
// sends with MSG_NOSIGNAL. A fixed type (not BIO_get_new_index(), whose supply is small and process-wide).
constexpr int kSocketBioType = 0x7e | BIO_TYPE_SOURCE_SINK | BIO_TYPE_DESCRIPTOR;

struct SocketIo {
    int fd = -1;
    bool eof = false;  // recv() returned 0
};

int socket_read(BIO* bio, char* data, int size) {
    auto* io = static_cast<SocketIo*>(BIO_get_data(bio));
    BIO_clear_retry_flags(bio);
    const ssize_t n = ::recv(io->fd, data, static_cast<std::size_t>(size), 0);
    if (n > 0) {
        return static_cast<int>(n);
    }
    if (n == 0) {
        io->eof = true;
        return 0;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
        BIO_set_retry_read(bio);
    }
    return -1;
}

int socket_write(BIO* bio, const char* data, int size) {
    auto* io = static_cast<SocketIo*>(BIO_get_data(bio));
    BIO_clear_retry_flags(bio);
    const ssize_t n = ::send(io->fd, data, static_cast<std::size_t>(size), MSG_NOSIGNAL);
    if (n >= 0) {
        return static_cast<int>(n);
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
        BIO_set_retry_write(bio);
    }
    return -1;
}

long socket_ctrl(BIO* bio, int command, long, void* pointer) {
    auto* io = static_cast<SocketIo*>(BIO_get_data(bio));
    switch (command) {
        case BIO_CTRL_FLUSH:
            return 1;
        case BIO_CTRL_EOF:
            return io->eof ? 1 : 0;
        case BIO_C_GET_FD:
            if (pointer != nullptr) {
                *static_cast<int*>(pointer) = io->fd;
            }
            return io->fd;
        default:
            return 0;
    }
}

int socket_puts(BIO* bio, const char* text) {
    return socket_write(bio, text, static_cast<int>(std::min<std::size_t>(std::strlen(text), INT_MAX)));
}

BioMethodPtr socket_bio_method() {
    BioMethodPtr method(BIO_meth_new(kSocketBioType, "microcloud socket"));
    if (!method || BIO_meth_set_read(method.get(), socket_read) != 1 ||
        BIO_meth_set_write(method.get(), socket_write) != 1 || BIO_meth_set_puts(method.get(), socket_puts) != 1 ||
        BIO_meth_set_ctrl(method.get(), socket_ctrl) != 1) {
        throw Error("tls_setup", "cannot create the socket BIO: " + trust::openssl_errors());
    }
    return method;
}

// Authorisation is by fingerprint, after the handshake: any certificate (self-signed, expired, any issuer)
// passes the handshake itself.
int accept_any_certificate(int, X509_STORE_CTX*) {
    return 1;
}

[[noreturn]] void setup_failed(const std::string& what) {
    const std::string detail = trust::openssl_errors();
    throw Error("tls_setup", "TLS setup failed: " + what + (detail.empty() ? "" : ": " + detail), {{"step", what}});
}

void use_credentials(SSL_CTX* context, const TlsCredentials& credentials) {
    trust::BioPtr certificates(
        BIO_new_mem_buf(credentials.certificate_pem.data(), static_cast<int>(credentials.certificate_pem.size())));
    if (!certificates) {
        setup_failed("memory buffer");
    }
    trust::X509Ptr leaf(PEM_read_bio_X509(certificates.get(), nullptr, nullptr, nullptr));
    if (!leaf || SSL_CTX_use_certificate(context, leaf.get()) != 1) {
        setup_failed("the certificate is not a PEM certificate OpenSSL accepts");
    }
    // Further certificates in the PEM (rare for members) go out as the chain.
    while (trust::X509Ptr extra{PEM_read_bio_X509(certificates.get(), nullptr, nullptr, nullptr)}) {
        if (SSL_CTX_add1_chain_cert(context, extra.get()) != 1) {
            setup_failed("chain certificate");
        }
    }
    ERR_clear_error();  // the end-of-PEM "no start line" of the loop above

    trust::BioPtr key_text(BIO_new_mem_buf(credentials.key_pem.data(), static_cast<int>(credentials.key_pem.size())));
    if (!key_text) {
        setup_failed("memory buffer");
    }
    trust::EvpPkeyPtr key(PEM_read_bio_PrivateKey(key_text.get(), nullptr, nullptr, nullptr));
    if (!key || SSL_CTX_use_PrivateKey(context, key.get()) != 1) {
        setup_failed("the private key is not a PEM key OpenSSL accepts");
    }
    if (SSL_CTX_check_private_key(context) != 1) {
        setup_failed("the private key does not belong to the certificate");
    }
}

SslCtxPtr make_context(bool server, const TlsCredentials& credentials) {
    SslCtxPtr context(SSL_CTX_new(server ? TLS_server_method() : TLS_client_method()));
    if (!context) {
        setup_failed("SSL_CTX_new");
    }
    if (SSL_CTX_set_min_proto_version(context.get(), TLS1_3_VERSION) != 1) {
        setup_failed("TLS 1.3 minimum");
    }
    // No session resumption: every connection proves its certificate afresh, and no ticket arrives after
    // the handshake that a reader would have to get past.
    SSL_CTX_set_session_cache_mode(context.get(), SSL_SESS_CACHE_OFF);
    SSL_CTX_set_options(context.get(), SSL_OP_NO_TICKET);
    if (server) {
        SSL_CTX_set_num_tickets(context.get(), 0);
    }
    SSL_CTX_set_verify(context.get(), SSL_VERIFY_PEER, accept_any_certificate);
    if (server || !credentials.certificate_pem.empty() || !credentials.key_pem.empty()) {
        use_credentials(context.get(), credentials);
    }
    return context;
}

PeerCertificate describe_certificate(X509* certificate) {
    PeerCertificate out;
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (X509_digest(certificate, EVP_sha256(), digest.data(), &length) == 1) {
        out.fingerprint = to_hex(digest.data(), length);
    }
    trust::BioPtr pem(BIO_new(BIO_s_mem()));
    if (pem && PEM_write_bio_X509(pem.get(), certificate) == 1) {
        char* data = nullptr;
        const long size = BIO_get_mem_data(pem.get(), &data);
        out.pem.assign(data, static_cast<std::size_t>(size));
    }
    return out;
}

// A pinned fingerprint as written by people: colons and upper case allowed.
std::string normalise_fingerprint(const std::string& text) {
    std::string out;
    for (const char c : text) {
        if (c != ':') {
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    return out;
}

std::string milliseconds_text(std::chrono::milliseconds value) {
    return std::to_string(value.count()) + " ms";
}

// Everything one connection owns; TlsStream::State is this under the name the header declares.
struct Connection {
    UniqueFd fd;
    SocketIo io;
    BioMethodPtr bio_method;  // outlives `ssl`, which holds a BIO of this method
    std::shared_ptr<SSL_CTX> context;
    SslPtr ssl;
    std::optional<PeerCertificate> peer;
    std::string remote;
    std::chrono::milliseconds timeout{0};
    bool failed = false;  // a fatal TLS error: no close_notify, and no more reads or writes
    bool closed = false;

    std::optional<Clock::time_point> deadline() const {
        if (timeout.count() <= 0) {
            return std::nullopt;
        }
        return Clock::now() + timeout;
    }

    // Why the last operation failed, from OpenSSL's queue or errno; marks the stream failed.
    std::string failure(int ssl_error, int saved_errno) {
        failed = true;
        std::string detail = trust::openssl_errors();
        if (io.eof) {
            return "the connection was closed" + (detail.empty() ? "" : " (" + detail + ")");
        }
        if (detail.empty() && ssl_error == SSL_ERROR_SYSCALL && saved_errno != 0) {
            detail = net::errno_text(saved_errno);
        }
        return detail.empty() ? "TLS error " + std::to_string(ssl_error) : detail;
    }
};

const std::optional<PeerCertificate> kNoPeer{};
const std::string kNoAddress{};

// Runs the handshake on `state` (its socket already non-blocking) within `timeout`.
void handshake(Connection& state, bool server, const TlsCredentials& credentials, std::chrono::milliseconds timeout) {
    const std::optional<Clock::time_point> deadline =
        timeout.count() > 0 ? std::optional(Clock::now() + timeout) : std::nullopt;
    state.context = credentials.contexts ? credentials.contexts->get(server, credentials)
                                         : std::shared_ptr<SSL_CTX>(make_context(server, credentials));
    state.bio_method = socket_bio_method();
    state.io.fd = state.fd.get();
    state.ssl.reset(SSL_new(state.context.get()));
    BIO* bio = state.ssl ? BIO_new(state.bio_method.get()) : nullptr;
    if (bio == nullptr) {
        setup_failed("SSL_new");
    }
    BIO_set_data(bio, &state.io);
    BIO_set_init(bio, 1);
    SSL_set_bio(state.ssl.get(), bio, bio);  // the SSL owns the BIO from here
    if (server) {
        SSL_set_accept_state(state.ssl.get());
    } else {
        SSL_set_connect_state(state.ssl.get());
    }

    const std::string side = server ? "from " : "with ";
    while (true) {
        ERR_clear_error();
        errno = 0;
        const int rc = SSL_do_handshake(state.ssl.get());
        if (rc == 1) {
            break;
        }
        const int saved_errno = errno;
        const int error = SSL_get_error(state.ssl.get(), rc);
        if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
            if (!net::wait_fd(state.fd.get(), error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline)) {
                state.failed = true;
                throw Error("tls_timeout",
                            "TLS handshake " + side + state.remote + " timed out after " + milliseconds_text(timeout),
                            {{"address", state.remote}});
            }
            continue;
        }
        throw Error("tls_handshake_failed",
                    "TLS handshake " + side + state.remote + " failed: " + state.failure(error, saved_errno),
                    {{"address", state.remote}});
    }
    if (X509* certificate = SSL_get0_peer_certificate(state.ssl.get())) {
        state.peer = describe_certificate(certificate);
    }
}

}  // namespace

namespace {

// A non-blocking socket that had nothing to give or take is reported by OpenSSL as a system call
// error with EAGAIN: the same as WANT_READ/WANT_WRITE in the call's direction.
int would_block(int error, int saved_errno, int direction) {
    return error == SSL_ERROR_SYSCALL && (saved_errno == EAGAIN || saved_errno == EWOULDBLOCK) ? direction : error;
}

// The outcome of one OpenSSL read or write call.
struct SslCall {
    int rc = 0;
    std::size_t done = 0;
    int error = SSL_ERROR_NONE;
    int saved_errno = 0;
};

}  // namespace

// One SSL object serves a reader and a writer thread at once (the dqlite tunnels copy both ways):
// OpenSSL's calls on it are made one at a time under `io`, never held while waiting on the socket.
struct TlsStream::State : Connection {
    std::mutex io;

    // Runs `call` (SSL_read_ex or SSL_write_ex on `data`/`size`) under `io`; `direction` is what a
    // would-block system call error means for it.
    template <class Call, class Data>
    SslCall locked(Call call, Data data, std::size_t size, int direction) {
        const std::lock_guard lock(io);
        SslCall out;
        ERR_clear_error();
        errno = 0;
        out.rc = call(ssl.get(), data, size, &out.done);
        out.saved_errno = errno;
        if (out.rc != 1) out.error = would_block(SSL_get_error(ssl.get(), out.rc), out.saved_errno, direction);
        return out;
    }
};

TlsStream::TlsStream() = default;
TlsStream::~TlsStream() = default;
TlsStream::TlsStream(TlsStream&&) noexcept = default;
TlsStream& TlsStream::operator=(TlsStream&&) noexcept = default;

TlsStream TlsStream::accept(UniqueFd socket, const TlsCredentials& credentials, std::chrono::milliseconds timeout) {
    TlsStream stream;
    stream.state_ = std::make_unique<State>();
    State& state = *stream.state_;
    state.fd = std::move(socket);
    state.remote = net::peer_name(state.fd.get());
    net::tune_tcp(state.fd.get());
    ::fcntl(state.fd.get(), F_SETFL, ::fcntl(state.fd.get(), F_GETFL) | O_NONBLOCK);
    handshake(state, true, credentials, timeout);
    return stream;
}

TlsStream TlsStream::connect(const std::string& address, const TlsCredentials& credentials,
                             const std::vector<std::string>& server_fingerprints, std::chrono::milliseconds timeout) {
    const auto started = Clock::now();
    TlsStream stream;
    stream.state_ = std::make_unique<State>();
    State& state = *stream.state_;
    state.remote = address;
    try {
        state.fd = cluster::dial_address(address, timeout.count() > 0 ? timeout : cluster::kDefaultDialTimeout);
    } catch (const Error& error) {
        if (error.code() != "dqlite_unreachable") {
            throw;
        }
        const std::string reason = error.what();
        throw Error("peer_unreachable", "cannot connect to " + address + ": " + reason.substr(reason.find(": ") + 2),
                    {{"address", address}});
    }
    if (const std::string actual = net::peer_name(state.fd.get()); !actual.empty()) {
        state.remote = actual;
    }
    net::tune_tcp(state.fd.get());
    ::fcntl(state.fd.get(), F_SETFL, ::fcntl(state.fd.get(), F_GETFL) | O_NONBLOCK);
    std::chrono::milliseconds left{0};
    if (timeout.count() > 0) {
        left = std::max(std::chrono::milliseconds(1),
                        timeout - std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started));
    }
    handshake(state, false, credentials, left);

    const std::string presented = state.peer ? state.peer->fingerprint : std::string();
    const bool pinned = !presented.empty() && std::any_of(server_fingerprints.begin(), server_fingerprints.end(),
                                                          [&](const std::string& expected) {
                                                              return normalise_fingerprint(expected) == presented;
                                                          });
    if (!pinned) {
        stream.close();
        std::string expected;
        for (const auto& fingerprint : server_fingerprints) {
            expected += (expected.empty() ? "" : ", ") + normalise_fingerprint(fingerprint);
        }
        throw Error("peer_untrusted",
                    "server " + address + " presented certificate " + (presented.empty() ? "(none)" : presented) +
                        ", expected " + (expected.empty() ? "(no fingerprint pinned)" : "one of: " + expected),
                    {{"address", address}, {"expected", server_fingerprints}, {"presented", presented}});
    }
    return stream;
}

bool TlsStream::valid() const noexcept {
    return state_ && state_->ssl && !state_->closed;
}

const std::optional<PeerCertificate>& TlsStream::peer() const noexcept {
    return state_ ? state_->peer : kNoPeer;
}

const std::string& TlsStream::remote_address() const noexcept {
    return state_ ? state_->remote : kNoAddress;
}

void TlsStream::set_timeout(std::chrono::milliseconds timeout) {
    if (state_) {
        state_->timeout = timeout;
    }
}

std::size_t TlsStream::read_some(void* data, std::size_t size) {
    if (!valid() || state_->failed) {
        throw Error("tls_io", "cannot read from " + remote_address() + ": the TLS stream is closed",
                    {{"address", remote_address()}});
    }
    State& state = *state_;
    if (size == 0) {
        return 0;
    }
    const auto deadline = state.deadline();
    while (true) {
        const auto [rc, done, error, saved_errno] = state.locked(SSL_read_ex, data, size, SSL_ERROR_WANT_READ);
        if (rc == 1) {
            return done;
        }
        if (error == SSL_ERROR_ZERO_RETURN) {
            return 0;
        }
        if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
            if (!net::wait_fd(state.fd.get(), error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline)) {
                // The stream stays usable: a later read resumes where this one stopped.
                throw Error(
                    "tls_timeout",
                    "reading from " + state.remote + ": nothing arrived within " + milliseconds_text(state.timeout),
                    {{"address", state.remote}});
            }
            continue;
        }
        throw Error("tls_io", "reading from " + state.remote + " failed: " + state.failure(error, saved_errno),
                    {{"address", state.remote}});
    }
}

void TlsStream::write_all(const void* data, std::size_t size) {
    if (!valid() || state_->failed) {
        throw Error("tls_io", "cannot write to " + remote_address() + ": the TLS stream is closed",
                    {{"address", remote_address()}});
    }
    State& state = *state_;
    const auto deadline = state.deadline();
    const auto* bytes = static_cast<const unsigned char*>(data);
    while (size > 0) {
        const auto [rc, done, error, saved_errno] =
            state.locked(SSL_write_ex, bytes, size, SSL_ERROR_WANT_WRITE);
        if (rc == 1) {
            bytes += done;
            size -= done;
            continue;
        }
        if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
            if (!net::wait_fd(state.fd.get(), error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline)) {
                // OpenSSL wants the same write repeated; the stream cannot go on without it.
                state.failed = true;
                throw Error(
                    "tls_timeout",
                    "writing to " + state.remote + ": the peer took nothing for " + milliseconds_text(state.timeout),
                    {{"address", state.remote}});
            }
            continue;
        }
        throw Error("tls_io", "writing to " + state.remote + " failed: " + state.failure(error, saved_errno),
                    {{"address", state.remote}});
    }
}

std::size_t TlsStream::pending() const {
    if (!valid() || state_->failed) {
        return 0;
    }
    const std::lock_guard lock(state_->io);
    const int bytes = SSL_pending(state_->ssl.get());
    return bytes > 0 ? static_cast<std::size_t>(bytes) : 0;
}

int TlsStream::fd() const noexcept {
    return state_ ? state_->fd.get() : -1;
}

void TlsStream::close() {
    if (!state_ || state_->closed) {
        return;
    }
    State& state = *state_;
    const std::lock_guard lock(state.io);
    state.closed = true;
    if (state.ssl && !state.failed && SSL_is_init_finished(state.ssl.get())) {
        SSL_shutdown(state.ssl.get());  // queues and tries to send close_notify; never waits for the answer
    }
    ERR_clear_error();
    if (state.fd) {
        ::shutdown(state.fd.get(), SHUT_RDWR);
    }
}

struct TlsContexts::Kept {
    std::string certificate_pem;
    std::string key_pem;
    std::shared_ptr<SSL_CTX> context;
};

TlsContexts::TlsContexts() = default;
TlsContexts::~TlsContexts() = default;

std::shared_ptr<SSL_CTX> TlsContexts::get(bool server, const TlsCredentials& credentials) {
    const std::lock_guard lock(mutex_);
    std::unique_ptr<Kept>& kept = server ? server_ : client_;
    if (!kept || kept->certificate_pem != credentials.certificate_pem || kept->key_pem != credentials.key_pem)
        kept = std::make_unique<Kept>(Kept{credentials.certificate_pem, credentials.key_pem,
                                           std::shared_ptr<SSL_CTX>(make_context(server, credentials))});
    return kept->context;
}

void check_server_credentials(const TlsCredentials& credentials) {
    if (credentials.contexts)
        credentials.contexts->get(true, credentials);  // kept for the server's first connection
    else
        make_context(true, credentials);
}

}  // namespace microcloud::host::transport
