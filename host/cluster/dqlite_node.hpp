// host/cluster/dqlite_node.hpp - one embedded dqlite node (libdqlite's C API behind RAII): created
// with an id, an address and a data directory, listening on a bind address, dialing peers
// through a replaceable Dialer, stopped and destroyed with the object.
#pragma once

#include "cluster/dqlite_dial.hpp"
#include "cluster/dqlite_protocol.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace microcloud::host::cluster {

// A node created with this id (or with 1) bootstraps a one-voter cluster on its first start:
// use it for the first member only. It is libraft's digest of "1", as libdqlite defines it.
inline constexpr NodeId kBootstrapNodeId = 0x2dc171858c3155beULL;

// A random-looking id derived from the address and the clock (dqlite_generate_node_id); give it
// to every member but the first, and keep it: a node must restart with the same id.
NodeId generate_node_id(const std::string& address);

struct SnapshotParams {
    unsigned threshold = 1024;  // raft entries between snapshots
    unsigned trailing = 8192;   // entries kept after a snapshot; at least 4 and at least threshold
};

struct NodeConfig {
    NodeId id = 0;
    // The address the other nodes and clients dial; stored in the raft configuration.
    std::string address{};
    // Raft log and snapshots; created (mode 0700) when missing.
    std::filesystem::path data_dir{};
    // What the node listens on: "host:port" (IPv4) or "@name" (abstract unix socket, reachable
    // from this process only; "@" alone picks a free name). Empty means `address`.
    std::string bind_address{};
    // How this node reaches its peers (raft traffic); empty means dial_address. Called from
    // dqlite's worker threads, possibly concurrently: it must be thread-safe.
    Dialer dial{};
    // Average one-way latency: heartbeats every 1.5x, elections after 15x. Default: 500 ms
    // heartbeat, 3 s election timeout.
    std::optional<std::chrono::milliseconds> network_latency{};
    std::optional<SnapshotParams> snapshot{};
    std::optional<std::uint64_t> failure_domain{};
};

// Errors are Error("dqlite_node") with libdqlite's message and code in the details. A node starts
// once: after stop() (or a failed start()) make a new object on the same data directory. Create
// nodes from one thread at a time (libdqlite numbers them without a lock).
class DqliteNode {
public:
    // Creates and configures the node; nothing listens yet.
    explicit DqliteNode(NodeConfig config);
    ~DqliteNode();  // stop(), then release everything
    DqliteNode(DqliteNode&&) noexcept;
    DqliteNode& operator=(DqliteNode&&) noexcept;
    DqliteNode(const DqliteNode&) = delete;
    DqliteNode& operator=(const DqliteNode&) = delete;

    // Binds, bootstraps when the id says so, and runs the node on its own thread; returns once it
    // accepts connections (a leader may not be elected yet). Sets SIGPIPE to ignored when it is
    // at its default: libdqlite writes to sockets whose peer may have gone.
    void start();
    // Rewrites the raft configuration stored in the data directory to exactly `nodes` (ids,
    // addresses, roles), for a cluster that lost its quorum for good. Only on a node that was
    // created and not started, with no node of the cluster running (dqlite_node_recover_ext).
    void recover(const std::vector<NodeInfo>& nodes);
    // Closes client connections once in-flight requests finish and joins the node's thread.
    // Does nothing when not running.
    void stop();

    bool running() const noexcept;
    NodeId id() const noexcept;
    const std::string& address() const noexcept;
    const std::filesystem::path& data_dir() const noexcept;
    // What the node listens on, e.g. the picked name after binding "@"; empty before start().
    std::string bind_address() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace microcloud::host::cluster
