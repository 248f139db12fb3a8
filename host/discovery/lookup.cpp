// host/discovery/lookup.cpp - the probe/collect loop of a joiner looking for its initiator.
#include "discovery/lookup.hpp"

#include "common/backoff.hpp"
#include "common/error.hpp"
#include "discovery/multicast_socket.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <optional>

namespace microcloud::host::discovery {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kCancelSlice{250};

std::string seconds_text(milliseconds duration) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", static_cast<double>(duration.count()) / 1000.0);
    return std::string(text) + "s";
}

struct Tally {
    int probes_sent = 0;
    int unreadable = 0;
    int not_matching = 0;
};

[[noreturn]] void nothing_heard(const LookupOptions& options, const Tally& tally) {
    const Endpoint& endpoint = options.on.endpoint;
    std::string message = "No MicroCloud initiator answered on interface " + endpoint.interface + " (address " +
                          endpoint.address + ", subnet " + options.on.subnet + ") within " +
                          seconds_text(options.timeout) + "; sent " + std::to_string(tally.probes_sent) +
                          " probe(s) to " + std::string(kGroup) + ":" + std::to_string(options.port);
    if (tally.not_matching > 0) message += "; " + std::to_string(tally.not_matching) + " other system(s) answered";
    if (tally.unreadable > 0) message += "; " + std::to_string(tally.unreadable) + " unreadable reply(ies)";
    throw Error("discovery_nothing_heard", message,
                {{"interface", endpoint.interface},
                 {"address", endpoint.address},
                 {"subnet", options.on.subnet},
                 {"timeout_ms", options.timeout.count()},
                 {"probes_sent", tally.probes_sent},
                 {"other_systems", tally.not_matching},
                 {"unreadable_replies", tally.unreadable},
                 {"group", std::string(kGroup)},
                 {"port", options.port}});
}

// The reply as a system we accept, or nothing when it is to be skipped; throws on a version mismatch.
std::optional<ServerInfo> accepted(const LookupOptions& options, const Datagram& datagram, Tally& tally) {
    ServerInfo info;
    try {
        info = parse_server_info(datagram.payload);
    } catch (const Error& error) {
        ++tally.unreadable;
        spdlog::warn("discovery: unreadable reply from {}: {}", datagram.sender_address, error.what());
        return std::nullopt;
    }
    check_version(info, options.expected_version);
    if (options.match && !options.match(info)) {
        ++tally.not_matching;
        return std::nullopt;
    }
    return info;
}

}  // namespace

LookupResult lookup(const LookupOptions& options) {
    const MulticastSocket socket = MulticastSocket::sender(options.on.endpoint);
    const std::string probe = encode_probe(Probe{options.expected_version});
    Backoff interval(options.first_probe_interval, options.probe_interval);
    const auto deadline = Clock::now() + options.timeout;
    auto next_probe = Clock::now();
    Tally tally;

    for (auto now = Clock::now(); now < deadline; now = Clock::now()) {
        if (options.cancelled && options.cancelled())
            throw Error("cancelled", "The lookup on " + options.on.endpoint.interface +
                                         " was cancelled from the command line after " +
                                         std::to_string(tally.probes_sent) + " probe(s)");
        if (now >= next_probe) {
            socket.send_to_group(probe, options.port);
            ++tally.probes_sent;
            next_probe = now + interval.take();
        }
        auto wait = std::chrono::duration_cast<milliseconds>(std::min(next_probe, deadline) - now);
        if (options.cancelled) wait = std::min(wait, kCancelSlice);  // a cancel is seen within a slice
        const auto datagram = socket.receive(std::max(wait, milliseconds(1)));
        if (!datagram) continue;
        if (auto info = accepted(options, *datagram, tally))
            return LookupResult{std::move(*info), datagram->sender_address, tally.probes_sent};
    }
    nothing_heard(options, tally);
}

}  // namespace microcloud::host::discovery
