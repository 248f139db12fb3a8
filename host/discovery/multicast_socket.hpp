// host/discovery/multicast_socket.hpp - a UDP socket tied to one interface for discovery (239.100.100.100:9444).
#pragma once

#include "common/unique_fd.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace microcloud::host::discovery {

inline constexpr std::string_view kGroup = "239.100.100.100";
inline constexpr std::uint16_t kPort = 9444;

// One interface and the IPv4 address of it that discovery uses.
struct Endpoint {
    std::string interface;  // kernel name, e.g. "eth0"
    std::string address;    // IPv4 address on that interface, e.g. "10.174.0.2"
};

struct Datagram {
    std::string payload;
    std::string sender_address;
    std::uint16_t sender_port = 0;
};

// Every failure throws Error("discovery_socket_failed") naming the interface, the address and the
// failing call with errno's text.
class MulticastSocket {
public:
    // Bound to GROUP:port and joined to the group on `endpoint` only (IP_MULTICAST_ALL off), so it
    // hears probes that arrive on that interface. Used by the initiator's responder.
    static MulticastSocket listener(const Endpoint& endpoint, std::uint16_t port = kPort);

    // Bound to endpoint.address on a free port; multicasts leave through endpoint.interface and
    // unicast replies come back here. Used by the joiner's lookup.
    static MulticastSocket sender(const Endpoint& endpoint);

    // Both kinds: IP_MULTICAST_IF = the endpoint's address, IP_MULTICAST_LOOP off, TTL 1.
    void send_to_group(std::string_view payload, std::uint16_t port = kPort) const;
    void send_to(std::string_view payload, const std::string& address, std::uint16_t port) const;

    // The next datagram, or nothing when `timeout` passes first (or `wake_fd` becomes readable).
    std::optional<Datagram> receive(std::chrono::milliseconds timeout, int wake_fd = -1) const;

    const Endpoint& endpoint() const noexcept { return endpoint_; }
    std::uint16_t local_port() const;

private:
    MulticastSocket(Endpoint endpoint, UniqueFd fd) : endpoint_(std::move(endpoint)), fd_(std::move(fd)) {}

    Endpoint endpoint_;
    UniqueFd fd_;
};

}  // namespace microcloud::host::discovery
