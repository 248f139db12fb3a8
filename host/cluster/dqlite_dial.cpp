// host/cluster/dqlite_dial.cpp - opening a stream to a dqlite address within a time limit.
#include "cluster/dqlite_dial.hpp"

#include "common/error.hpp"

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

namespace microcloud::host::cluster {

namespace {

std::string errno_text(int error) {
    char buffer[256];
    return strerror_r(error, buffer, sizeof buffer);  // GNU variant: returns the text
}

[[noreturn]] void throw_unreachable(const std::string& address, const std::string& reason) {
    throw Error("dqlite_unreachable", "cannot connect to dqlite node " + address + ": " + reason,
                {{"address", address}});
}

[[noreturn]] void throw_invalid(const std::string& address, const std::string& reason) {
    throw Error("invalid_address",
                "invalid dqlite address \"" + address + "\": " + reason +
                    " (accepted: host:port, [ipv6]:port or @name for an abstract unix socket)",
                {{"address", address}});
}

void set_blocking(int fd, bool blocking) {
    const int flags = ::fcntl(fd, F_GETFL);
    ::fcntl(fd, F_SETFL, blocking ? flags & ~O_NONBLOCK : flags | O_NONBLOCK);
}

// Starts a non-blocking connect and waits for its outcome; returns 0 or an errno value.
int connect_within(int fd, const sockaddr* address, socklen_t length, std::chrono::milliseconds timeout) {
    set_blocking(fd, false);
    if (::connect(fd, address, length) != 0) {
        if (errno != EINPROGRESS && errno != EAGAIN) {
            return errno;
        }
        pollfd waiting{fd, POLLOUT, 0};
        const int ready = ::poll(&waiting, 1, static_cast<int>(timeout.count()));
        if (ready == 0) {
            return ETIMEDOUT;
        }
        if (ready < 0) {
            return errno;
        }
        int error = 0;
        socklen_t size = sizeof error;
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size);
        if (error != 0) {
            return error;
        }
    }
    set_blocking(fd, true);
    return 0;
}

UniqueFd dial_abstract(const std::string& address, std::chrono::milliseconds timeout) {
    const std::string_view name = std::string_view(address).substr(1);
    sockaddr_un target{};
    if (name.empty() || name.size() > sizeof target.sun_path - 1) {
        throw_invalid(address, "an abstract socket name must have 1 to " + std::to_string(sizeof target.sun_path - 1) +
                                   " characters");
    }
    target.sun_family = AF_UNIX;
    std::memcpy(target.sun_path + 1, name.data(), name.size());  // sun_path[0] stays 0: abstract
    UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd) {
        throw_unreachable(address, "cannot create a socket: " + errno_text(errno));
    }
    const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
    if (const int error = connect_within(fd.get(), reinterpret_cast<const sockaddr*>(&target), length, timeout)) {
        throw_unreachable(address, errno_text(error));
    }
    return fd;
}

struct HostPort {
    std::string host;
    std::string port;
};

HostPort split_host_port(const std::string& address) {
    HostPort parts;
    if (!address.empty() && address.front() == '[') {
        const auto close = address.find(']');
        if (close == std::string::npos || close + 1 >= address.size() || address[close + 1] != ':') {
            throw_invalid(address, "an IPv6 address needs the form [address]:port");
        }
        parts.host = address.substr(1, close - 1);
        parts.port = address.substr(close + 2);
    } else {
        const auto colon = address.rfind(':');
        if (colon == std::string::npos || address.find(':') != colon) {
            throw_invalid(address, "no port given");
        }
        parts.host = address.substr(0, colon);
        parts.port = address.substr(colon + 1);
    }
    if (parts.host.empty() || parts.port.empty() || parts.port.find_first_not_of("0123456789") != std::string::npos) {
        throw_invalid(address, "the host or the port is missing or not a number");
    }
    return parts;
}

UniqueFd dial_tcp(const std::string& address, std::chrono::milliseconds timeout) {
    const HostPort parts = split_host_port(address);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* found = nullptr;
    if (const int rc = ::getaddrinfo(parts.host.c_str(), parts.port.c_str(), &hints, &found); rc != 0) {
        throw_unreachable(address, std::string("cannot resolve the host: ") + ::gai_strerror(rc));
    }
    const std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> results(found, &::freeaddrinfo);
    std::string last_error = "no address found";
    for (const addrinfo* candidate = found; candidate != nullptr; candidate = candidate->ai_next) {
        UniqueFd fd(::socket(candidate->ai_family, candidate->ai_socktype | SOCK_CLOEXEC, candidate->ai_protocol));
        if (!fd) {
            last_error = "cannot create a socket: " + errno_text(errno);
            continue;
        }
        if (const int error = connect_within(fd.get(), candidate->ai_addr, candidate->ai_addrlen, timeout)) {
            last_error = errno_text(error);
            continue;
        }
        const int on = 1;
        ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        return fd;
    }
    throw_unreachable(address, last_error);
}

}  // namespace

UniqueFd dial_address(const std::string& address, std::chrono::milliseconds timeout) {
    if (address.empty()) {
        throw_invalid(address, "the address is empty");
    }
    return address.front() == '@' ? dial_abstract(address, timeout) : dial_tcp(address, timeout);
}

Dialer default_dialer(std::chrono::milliseconds timeout) {
    return [timeout](const std::string& address) { return dial_address(address, timeout).release(); };
}

UniqueFd dial_with(const Dialer& dialer, const std::string& address) {
    UniqueFd fd(dialer ? dialer(address) : dial_address(address).release());
    if (!fd) {
        throw_unreachable(address, "the dialer returned no connection");
    }
    return fd;
}

}  // namespace microcloud::host::cluster
