// host/discovery/responder.cpp - the responder thread: wait for a probe, answer it, until stopped.
#include "discovery/responder.hpp"

#include "common/error.hpp"

#include <spdlog/spdlog.h>

#include <sys/eventfd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace microcloud::host::discovery {

Responder::Responder(const Endpoint& endpoint, ServerInfo info, std::uint16_t port)
    : socket_(MulticastSocket::listener(endpoint, port)),
      reply_(encode_server_info(info)),
      wake_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    if (!wake_)
        throw Error(
            "discovery_responder_failed",
            "Cannot start the discovery responder on " + endpoint.interface + ": eventfd: " + std::strerror(errno),
            {{"interface", endpoint.interface}});
    thread_ = std::thread([this] { run(); });
}

Responder::~Responder() {
    stop();
}

void Responder::stop() {
    if (stopping_.exchange(true)) return;
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(wake_.get(), &one, sizeof one);
    if (thread_.joinable()) thread_.join();
}

void Responder::run() {
    while (!stopping_) {
        try {
            const auto datagram = socket_.receive(std::chrono::milliseconds(1000), wake_.get());
            if (datagram) answer(*datagram);
        } catch (const Error& error) {
            spdlog::warn("discovery responder: {}", error.what());
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
}

void Responder::answer(const Datagram& datagram) {
    try {
        const Probe probe = parse_probe(datagram.payload);
        spdlog::debug("discovery probe (version {}) from {}:{}", probe.version, datagram.sender_address,
                      datagram.sender_port);
    } catch (const Error& error) {
        ++ignored_;
        spdlog::debug("discovery: ignoring datagram from {}: {}", datagram.sender_address, error.what());
        return;
    }
    // Answer whatever version the prober speaks: the joiner compares versions and reports a mismatch.
    socket_.send_to(reply_, datagram.sender_address, datagram.sender_port);
    ++replies_sent_;
}

}  // namespace microcloud::host::discovery
