// host/discovery/lookup.hpp - the joiner side of discovery: probe (soon, then every second), take the first
// fitting reply.
#pragma once

#include "discovery/announcement.hpp"
#include "discovery/interface_choice.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace microcloud::host::discovery {

struct LookupOptions {
    ChosenInterface on;  // where to probe (see interface_choice.hpp)
    std::chrono::milliseconds timeout{std::chrono::seconds(60)};
    // The first probe goes at once, the second after first_probe_interval, and each wait after that is
    // twice the one before, up to probe_interval: a joiner started with its initiator (whose session
    // opens a moment later) finds it within a few hundred milliseconds, not a whole interval later.
    std::chrono::milliseconds first_probe_interval{100};
    std::chrono::milliseconds probe_interval{std::chrono::seconds(1)};
    std::string expected_version{kFormatVersion};
    std::uint16_t port = kPort;
    // Which system we want (e.g. a given initiator name); empty = the first that answers.
    std::function<bool(const ServerInfo&)> match;
    // Asked between probes (at least once a probe interval); true ends the lookup with
    // Error("cancelled").
    std::function<bool()> cancelled;
};

struct LookupResult {
    ServerInfo system;
    std::string sender_address;  // where the reply came from
    int probes_sent = 0;
};

// Multicasts a probe at once and then at growing intervals (first_probe_interval, doubling up to
// probe_interval) until a reply that parses, carries the expected version and satisfies `match`
// arrives, and returns it. Throws:
//  - Error("discovery_version_mismatch") with upstream's text for a reply of another version;
//  - Error("discovery_nothing_heard") naming the interface, its address and subnet, how long it
//    listened and how many probes it sent (plus replies that did not match or did not parse);
//  - Error("discovery_socket_failed") when the interface cannot be used;
//  - Error("cancelled") once `cancelled` returns true.
LookupResult lookup(const LookupOptions& options);

}  // namespace microcloud::host::discovery
