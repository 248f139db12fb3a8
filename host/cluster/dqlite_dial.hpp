// host/cluster/dqlite_dial.hpp - opening a stream to a dqlite address: "host:port", "[v6]:port" or
// "@name" (a Linux abstract unix socket), and the Dialer hook that lets callers swap in a tunnel.
#pragma once

#include "common/unique_fd.hpp"

#include <chrono>
#include <functional>
#include <string>

namespace microcloud::host::cluster {

// Returns a connected, blocking stream socket (TCP or unix) whose ownership passes to the caller,
// or throws an Error (a negative return is also taken as a failure). Used by the node for raft
// traffic (from dqlite's worker threads, possibly concurrently: it must be thread-safe) and by
// the client for every connection.
using Dialer = std::function<int(const std::string& address)>;

inline constexpr std::chrono::milliseconds kDefaultDialTimeout{2000};

// Connects within `timeout`. Throws Error("invalid_address") for an address of another form and
// Error("dqlite_unreachable") when nothing accepts the connection in time.
UniqueFd dial_address(const std::string& address, std::chrono::milliseconds timeout = kDefaultDialTimeout);

// A Dialer calling dial_address with the given timeout.
Dialer default_dialer(std::chrono::milliseconds timeout = kDefaultDialTimeout);

// Runs `dialer` and checks what it returned; throws Error("dqlite_unreachable") for a negative fd.
UniqueFd dial_with(const Dialer& dialer, const std::string& address);

}  // namespace microcloud::host::cluster
