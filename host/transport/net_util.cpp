// host/transport/net_util.cpp - socket helpers: TCP options, address formatting and parsing, poll() with deadlines.
#include "transport/net_util.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>

namespace microcloud::host::transport::net {

namespace {

constexpr int kKeepIdleSeconds = 10;
constexpr int kKeepIntervalSeconds = 5;
constexpr int kKeepCount = 3;

void set_int_option(int fd, int level, int name, int value) {
    ::setsockopt(fd, level, name, &value, sizeof value);
}

}  // namespace

void tune_tcp(int fd) {
    set_int_option(fd, IPPROTO_TCP, TCP_NODELAY, 1);
    set_int_option(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
    set_int_option(fd, IPPROTO_TCP, TCP_KEEPIDLE, kKeepIdleSeconds);
    set_int_option(fd, IPPROTO_TCP, TCP_KEEPINTVL, kKeepIntervalSeconds);
    set_int_option(fd, IPPROTO_TCP, TCP_KEEPCNT, kKeepCount);
    set_int_option(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, static_cast<int>(kTcpUserTimeout.count()));
}

std::string format_address(const sockaddr* address, socklen_t length) {
    char text[INET6_ADDRSTRLEN] = {};
    if (address->sa_family == AF_INET && length >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
        const auto* v4 = reinterpret_cast<const sockaddr_in*>(address);
        ::inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
        return std::string(text) + ":" + std::to_string(ntohs(v4->sin_port));
    }
    if (address->sa_family == AF_INET6 && length >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
        const auto* v6 = reinterpret_cast<const sockaddr_in6*>(address);
        ::inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
        return std::string("[").append(text).append("]:").append(std::to_string(ntohs(v6->sin6_port)));
    }
    return {};
}

std::string peer_name(int fd) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        return {};
    }
    return format_address(reinterpret_cast<const sockaddr*>(&address), length);
}

std::string local_name(int fd) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        return {};
    }
    return format_address(reinterpret_cast<const sockaddr*>(&address), length);
}

std::string host_of(const std::string& address) {
    if (const auto parts = split_host_port(address)) {
        return parts->host;
    }
    return address;
}

std::optional<HostPort> split_host_port(const std::string& address) {
    HostPort parts;
    if (!address.empty() && address.front() == '[') {
        const auto close = address.find(']');
        if (close == std::string::npos || close + 1 >= address.size() || address[close + 1] != ':') {
            return std::nullopt;
        }
        parts.host = address.substr(1, close - 1);
        parts.port = address.substr(close + 2);
    } else {
        const auto colon = address.rfind(':');
        if (colon == std::string::npos || address.find(':') != colon) {
            return std::nullopt;
        }
        parts.host = address.substr(0, colon);
        parts.port = address.substr(colon + 1);
    }
    if (parts.host.empty() || parts.port.empty() || parts.port.size() > 5 ||
        parts.port.find_first_not_of("0123456789") != std::string::npos || std::stoi(parts.port) > 65535) {
        return std::nullopt;
    }
    return parts;
}

bool wait_fd(int fd, short events, std::optional<Clock::time_point> deadline) {
    while (true) {
        int timeout_ms = -1;
        if (deadline) {
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now());
            if (left.count() <= 0) {
                return false;
            }
            timeout_ms = static_cast<int>(std::min<std::chrono::milliseconds::rep>(left.count(), 1 << 30));
        }
        pollfd waiting{fd, events, 0};
        const int ready = ::poll(&waiting, 1, timeout_ms);
        if (ready > 0) {
            return true;
        }
        if (ready < 0 && errno != EINTR) {
            return true;  // let the I/O call that follows report the problem
        }
    }
}

std::string errno_text(int error) {
    char buffer[256];
    return strerror_r(error, buffer, sizeof buffer);  // GNU variant: returns the text
}

}  // namespace microcloud::host::transport::net
