// host/cluster/dqlite_connection.cpp - one protocol session with a dqlite node over a socket.
#include "cluster/dqlite_connection.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>

namespace microcloud::host::cluster {

namespace {

std::string errno_text(int error) {
    char buffer[256];
    return strerror_r(error, buffer, sizeof buffer);  // GNU variant: returns the text
}

int remaining_ms(Deadline deadline) {
    using namespace std::chrono;
    const auto left = ceil<milliseconds>(deadline - steady_clock::now()).count();
    return static_cast<int>(std::clamp<long long>(left, 0, 24LL * 3600 * 1000));
}

}  // namespace

Error failure_error(const Failure& failure, const std::string& address, RequestType request) {
    const bool not_leader = failure.code == kFailureNotLeader || failure.code == kFailureLeadershipLost;
    nlohmann::json details{{"address", address},
                           {"request", std::string(request_name(request))},
                           {"sqlite_code", failure.code},
                           {"sqlite_message", failure.message}};
    if (not_leader) {
        return Error("dqlite_not_leader",
                     "dqlite node " + address + " refused " + std::string(request_name(request)) + ": " +
                         failure.message + " (error " + std::to_string(failure.code) +
                         "); send it to the current leader",
                     std::move(details));
    }
    return Error("dqlite_failure",
                 "dqlite node " + address + " failed " + std::string(request_name(request)) + ": " + failure.message +
                     " (SQLite error " + std::to_string(failure.code) + ")",
                 std::move(details));
}

Connection::Connection(UniqueFd fd, std::string address, std::chrono::milliseconds timeout)
    : fd_(std::move(fd)), address_(std::move(address)), timeout_(timeout) {
    if (!fd_) {
        throw Error("dqlite_unreachable", "no connection to dqlite node " + address_, {{"address", address_}});
    }
    const int flags = ::fcntl(fd_.get(), F_GETFL);
    ::fcntl(fd_.get(), F_SETFL, flags | O_NONBLOCK);
    const auto handshake = encode_handshake(kProtocolVersion);
    write_all(handshake.data(), handshake.size(), deadline(), "the protocol handshake");
}

Connection Connection::dial(const std::string& address, const Dialer& dialer, std::chrono::milliseconds timeout) {
    return Connection(dial_with(dialer, address), address, timeout);
}

Message Connection::call(const Message& request, ResponseType expected) {
    const Deadline until = deadline();
    send(request, until);
    return receive(static_cast<RequestType>(request.type), expected, until);
}

void Connection::send(const Message& request, Deadline deadline) {
    if (broken_) {
        throw Error("dqlite_unreachable",
                    "the connection to dqlite node " + address_ + " was dropped after an earlier error; connect again",
                    {{"address", address_}});
    }
    const auto bytes = encode_message(request);
    const std::string what(request_name(static_cast<RequestType>(request.type)));
    write_all(bytes.data(), bytes.size(), deadline, "the " + what + " request");
}

Message Connection::receive(RequestType request, ResponseType expected, Deadline deadline) {
    const std::string what = "the response to " + std::string(request_name(request));
    std::array<std::uint8_t, kHeaderSize> head{};
    read_exact(head.data(), head.size(), deadline, what);
    const Header header = decode_header(head);
    const std::size_t body_size = std::size_t{header.words} * 8;
    if (body_size > kMaxBodySize) {
        fail("dqlite_protocol", "dqlite node " + address_ + " announced a " + std::to_string(body_size) +
                                    "-byte body for " + what + " (accepted: at most " + std::to_string(kMaxBodySize) +
                                    ")");
    }
    Message message{header.type, header.schema, std::vector<std::uint8_t>(body_size)};
    read_exact(message.body.data(), body_size, deadline, what);

    try {
        if (message.type == static_cast<std::uint8_t>(ResponseType::failure) && expected != ResponseType::failure) {
            throw failure_error(decode_failure(message), address_, request);
        }
        if (message.type != static_cast<std::uint8_t>(expected)) {
            fail("dqlite_protocol", "dqlite node " + address_ + " answered " + std::string(request_name(request)) +
                                        " with message type " + std::to_string(message.type) + " (expected " +
                                        std::string(response_name(expected)) + ")");
        }
    } catch (const Error& error) {
        if (error.code() == "dqlite_protocol") {
            broken_ = true;
        }
        throw;
    }
    return message;
}

void Connection::write_all(const std::uint8_t* data, std::size_t size, Deadline deadline, std::string_view what) {
    while (size > 0) {
        const ssize_t written = ::send(fd_.get(), data, size, MSG_NOSIGNAL);
        if (written > 0) {
            data += written;
            size -= static_cast<std::size_t>(written);
            continue;
        }
        if (written < 0 && errno == EINTR) {
            continue;
        }
        if (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            wait_for(POLLOUT, deadline, what);
            continue;
        }
        fail("dqlite_unreachable",
             "cannot send " + std::string(what) + " to dqlite node " + address_ + ": " + errno_text(errno));
    }
}

void Connection::read_exact(std::uint8_t* data, std::size_t size, Deadline deadline, std::string_view what) {
    while (size > 0) {
        const ssize_t got = ::recv(fd_.get(), data, size, 0);
        if (got > 0) {
            data += got;
            size -= static_cast<std::size_t>(got);
            continue;
        }
        if (got == 0) {
            fail("dqlite_unreachable",
                 "dqlite node " + address_ + " closed the connection while sending " + std::string(what));
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            wait_for(POLLIN, deadline, what);
            continue;
        }
        fail("dqlite_unreachable",
             "cannot read " + std::string(what) + " from dqlite node " + address_ + ": " + errno_text(errno));
    }
}

void Connection::wait_for(short events, Deadline deadline, std::string_view what) {
    for (;;) {
        pollfd waiting{fd_.get(), events, 0};
        const int ready = ::poll(&waiting, 1, remaining_ms(deadline));
        if (ready > 0) {
            return;  // readable/writable, or an error the next recv/send reports
        }
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready == 0) {
            fail("dqlite_timeout", "dqlite node " + address_ + " did not complete " + std::string(what) + " within " +
                                       std::to_string(timeout_.count()) + " ms");
        }
        fail("dqlite_unreachable", "cannot wait for dqlite node " + address_ + ": " + errno_text(errno));
    }
}

void Connection::fail(const std::string& code, const std::string& message) {
    broken_ = true;
    throw Error(code, message, {{"address", address_}});
}

}  // namespace microcloud::host::cluster
