// host/discovery/responder.hpp - the initiator side of discovery: answers probes while a session runs.
#pragma once

#include "common/unique_fd.hpp"
#include "discovery/announcement.hpp"
#include "discovery/multicast_socket.hpp"

#include <atomic>
#include <cstdint>
#include <thread>

namespace microcloud::host::discovery {

// Listens on GROUP:port on one interface and answers every well-formed probe with `info`, by unicast
// to the probe's sender. Construct it when a session starts and destroy it (or stop()) when the
// session ends. The constructor throws Error("discovery_socket_failed") when it cannot listen.
class Responder {
public:
    Responder(const Endpoint& endpoint, ServerInfo info, std::uint16_t port = kPort);
    ~Responder();
    Responder(const Responder&) = delete;
    Responder& operator=(const Responder&) = delete;

    // Stops answering and joins the thread; idempotent.
    void stop();

    std::uint64_t replies_sent() const noexcept { return replies_sent_; }
    std::uint64_t datagrams_ignored() const noexcept { return ignored_; }

private:
    void run();
    void answer(const Datagram& datagram);

    MulticastSocket socket_;
    std::string reply_;
    UniqueFd wake_;  // an eventfd; written once by stop()
    std::atomic<bool> stopping_{false};
    std::atomic<std::uint64_t> replies_sent_{0};
    std::atomic<std::uint64_t> ignored_{0};
    std::thread thread_;
};

}  // namespace microcloud::host::discovery
