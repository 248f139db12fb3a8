// host/cluster/dqlite_connection.hpp - one protocol session with a dqlite node over a connected
// socket: the handshake, then framed requests and responses, each within a time limit.
#pragma once

#include "cluster/dqlite_dial.hpp"
#include "cluster/dqlite_protocol.hpp"
#include "common/unique_fd.hpp"
#include "common/error.hpp"

#include <chrono>
#include <string>

namespace microcloud::host::cluster {

using Deadline = std::chrono::steady_clock::time_point;

inline constexpr std::chrono::milliseconds kDefaultRequestTimeout{5000};

// The Error a FAILURE response stands for: "dqlite_not_leader" for the not-leader and
// leadership-lost codes, "dqlite_failure" otherwise; details carry address, request,
// sqlite_code and sqlite_message.
Error failure_error(const Failure& failure, const std::string& address, RequestType request);

class Connection {
public:
    // Takes a connected stream and sends the protocol handshake. `address` names the peer in
    // errors. Throws Error("dqlite_timeout" / "dqlite_unreachable") when the handshake cannot go.
    Connection(UniqueFd fd, std::string address, std::chrono::milliseconds timeout = kDefaultRequestTimeout);

    // Dials `address` with `dialer` (dial_address when empty), then as above.
    static Connection dial(const std::string& address, const Dialer& dialer = {},
                           std::chrono::milliseconds timeout = kDefaultRequestTimeout);

    // Sends `request` and returns its response, which must be of type `expected`: a FAILURE
    // throws failure_error(), another type Error("dqlite_protocol"). Both the request and the
    // response must go within the timeout, else Error("dqlite_timeout").
    Message call(const Message& request, ResponseType expected);

    // The steps of call(), for requests answered by several messages (ROWS parts).
    Deadline deadline() const { return std::chrono::steady_clock::now() + timeout_; }
    void send(const Message& request, Deadline deadline);
    Message receive(RequestType request, ResponseType expected, Deadline deadline);

    const std::string& address() const noexcept { return address_; }
    std::chrono::milliseconds timeout() const noexcept { return timeout_; }
    void set_timeout(std::chrono::milliseconds timeout) noexcept { timeout_ = timeout; }
    // After a timeout, an I/O error or a malformed response the stream position is unknown: every
    // later request throws Error("dqlite_unreachable"); connect again.
    bool broken() const noexcept { return broken_; }
    // For callers that find a response body malformed while more messages may be in flight.
    void mark_broken() noexcept { broken_ = true; }

private:
    void write_all(const std::uint8_t* data, std::size_t size, Deadline deadline, std::string_view what);
    void read_exact(std::uint8_t* data, std::size_t size, Deadline deadline, std::string_view what);
    void wait_for(short events, Deadline deadline, std::string_view what);
    [[noreturn]] void fail(const std::string& code, const std::string& message);

    UniqueFd fd_;
    std::string address_;
    std::chrono::milliseconds timeout_;
    bool broken_ = false;
};

}  // namespace microcloud::host::cluster
