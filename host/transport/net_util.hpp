// host/transport/net_util.hpp - socket helpers shared by the TLS stream, the peer server and the peer client.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <sys/socket.h>

namespace microcloud::host::transport::net {

using Clock = std::chrono::steady_clock;

// How long unacknowledged data may stay unacknowledged before the kernel drops the connection.
inline constexpr std::chrono::milliseconds kTcpUserTimeout{15000};

// TCP_NODELAY, SO_KEEPALIVE (first probe after 10 s idle, then every 5 s) and TCP_USER_TIMEOUT; best effort.
void tune_tcp(int fd);

// "ip:port" or "[v6]:port" of a socket address ("" for other families).
std::string format_address(const sockaddr* address, socklen_t length);
// The other end / our end of a connected or bound socket, formatted as above ("" when unknown).
std::string peer_name(int fd);
std::string local_name(int fd);

// The host part of "ip:port" or "[v6]:port", without brackets (the whole text when it has no port).
std::string host_of(const std::string& address);

struct HostPort {
    std::string host;  // without brackets
    std::string port;
};
// Splits "host:port" or "[v6]:port"; nullopt when the form is wrong or the port is not a number.
std::optional<HostPort> split_host_port(const std::string& address);

// Waits until `fd` reports one of `events` (or an error or hang-up, which the next I/O call will report);
// false when `deadline` passed first. No deadline waits as long as it takes.
bool wait_fd(int fd, short events, std::optional<Clock::time_point> deadline);

// strerror_r text of an errno value.
std::string errno_text(int error);

}  // namespace microcloud::host::transport::net
