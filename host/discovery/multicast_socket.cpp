// host/discovery/multicast_socket.cpp - socket options, binding, membership and timed I/O for discovery.
#include "discovery/multicast_socket.hpp"

#include "common/error.hpp"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace microcloud::host::discovery {

namespace {

[[noreturn]] void fail(const Endpoint& endpoint, const std::string& what, int error) {
    throw Error("discovery_socket_failed",
                "Discovery on interface " + endpoint.interface + " (address " + endpoint.address + "): " + what + ": " +
                    std::strerror(error),
                {{"interface", endpoint.interface}, {"address", endpoint.address}, {"errno", error}});
}

in_addr ipv4_of(const Endpoint& endpoint, std::string_view text, const std::string& what) {
    in_addr out{};
    if (inet_pton(AF_INET, std::string(text).c_str(), &out) != 1)
        throw Error("discovery_socket_failed",
                    "Discovery on interface " + endpoint.interface + ": " + what + " " + std::string(text) +
                        " is not an IPv4 address",
                    {{"interface", endpoint.interface}, {"address", std::string(text)}});
    return out;
}

sockaddr_in socket_address(in_addr address, std::uint16_t port) {
    sockaddr_in out{};
    out.sin_family = AF_INET;
    out.sin_addr = address;
    out.sin_port = htons(port);
    return out;
}

template <typename T>
void set_option(int fd, const Endpoint& endpoint, int level, int name, const T& value, const std::string& label) {
    if (setsockopt(fd, level, name, &value, sizeof value) != 0) fail(endpoint, "setsockopt " + label, errno);
}

UniqueFd open_udp(const Endpoint& endpoint) {
    if (if_nametoindex(endpoint.interface.c_str()) == 0) fail(endpoint, "no such interface", errno);
    UniqueFd fd(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP));
    if (!fd) fail(endpoint, "socket()", errno);
    const in_addr local = ipv4_of(endpoint, endpoint.address, "address");
    set_option(fd.get(), endpoint, IPPROTO_IP, IP_MULTICAST_IF, local, "IP_MULTICAST_IF");
    set_option(fd.get(), endpoint, IPPROTO_IP, IP_MULTICAST_LOOP, static_cast<unsigned char>(0), "IP_MULTICAST_LOOP");
    set_option(fd.get(), endpoint, IPPROTO_IP, IP_MULTICAST_TTL, static_cast<unsigned char>(1), "IP_MULTICAST_TTL");
    return fd;
}

void bind_to(int fd, const Endpoint& endpoint, in_addr address, std::uint16_t port) {
    const sockaddr_in where = socket_address(address, port);
    if (bind(fd, reinterpret_cast<const sockaddr*>(&where), sizeof where) != 0) {
        char text[INET_ADDRSTRLEN] = {};
        inet_ntop(AF_INET, &address, text, sizeof text);
        fail(endpoint, "bind " + std::string(text) + ":" + std::to_string(port), errno);
    }
}

}  // namespace

MulticastSocket MulticastSocket::listener(const Endpoint& endpoint, std::uint16_t port) {
    UniqueFd fd = open_udp(endpoint);
    const in_addr group = ipv4_of(endpoint, kGroup, "group");
    set_option(fd.get(), endpoint, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
    set_option(fd.get(), endpoint, IPPROTO_IP, IP_MULTICAST_ALL, 0, "IP_MULTICAST_ALL");
    bind_to(fd.get(), endpoint, group, port);
    ip_mreq membership{};
    membership.imr_multiaddr = group;
    membership.imr_interface = ipv4_of(endpoint, endpoint.address, "address");
    set_option(fd.get(), endpoint, IPPROTO_IP, IP_ADD_MEMBERSHIP, membership,
               "IP_ADD_MEMBERSHIP " + std::string(kGroup));
    return MulticastSocket(endpoint, std::move(fd));
}

MulticastSocket MulticastSocket::sender(const Endpoint& endpoint) {
    UniqueFd fd = open_udp(endpoint);
    bind_to(fd.get(), endpoint, ipv4_of(endpoint, endpoint.address, "address"), 0);
    return MulticastSocket(endpoint, std::move(fd));
}

void MulticastSocket::send_to_group(std::string_view payload, std::uint16_t port) const {
    send_to(payload, std::string(kGroup), port);
}

void MulticastSocket::send_to(std::string_view payload, const std::string& address, std::uint16_t port) const {
    const sockaddr_in where = socket_address(ipv4_of(endpoint_, address, "destination"), port);
    const ssize_t sent =
        sendto(fd_.get(), payload.data(), payload.size(), 0, reinterpret_cast<const sockaddr*>(&where), sizeof where);
    if (sent < 0) fail(endpoint_, "sendto " + address + ":" + std::to_string(port), errno);
}

std::optional<Datagram> MulticastSocket::receive(std::chrono::milliseconds timeout, int wake_fd) const {
    pollfd fds[2] = {{fd_.get(), POLLIN, 0}, {wake_fd, POLLIN, 0}};
    const nfds_t count = wake_fd >= 0 ? 2 : 1;
    int ready = 0;
    do {
        ready = poll(fds, count, static_cast<int>(timeout.count()));
    } while (ready < 0 && errno == EINTR);
    if (ready < 0) fail(endpoint_, "poll", errno);
    if (ready == 0 || !(fds[0].revents & POLLIN)) return std::nullopt;

    char buffer[65536];
    sockaddr_in from{};
    socklen_t from_size = sizeof from;
    const ssize_t size = recvfrom(fd_.get(), buffer, sizeof buffer, 0, reinterpret_cast<sockaddr*>(&from), &from_size);
    if (size < 0) fail(endpoint_, "recvfrom", errno);
    char text[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &from.sin_addr, text, sizeof text);
    return Datagram{std::string(buffer, static_cast<std::size_t>(size)), text, ntohs(from.sin_port)};
}

std::uint16_t MulticastSocket::local_port() const {
    sockaddr_in local{};
    socklen_t size = sizeof local;
    if (getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&local), &size) != 0) fail(endpoint_, "getsockname", errno);
    return ntohs(local.sin_port);
}

}  // namespace microcloud::host::discovery
