// host/cluster/dqlite_node.cpp - one embedded dqlite node behind RAII.
#include "cluster/dqlite_node.hpp"

#include "common/error.hpp"

// dqlite.h declares its functions without an extern "C" block of its own.
extern "C" {
#include <dqlite.h>
}
#include <spdlog/spdlog.h>

#include <csignal>
#include <system_error>

namespace microcloud::host::cluster {

namespace {

struct NodeDeleter {
    void operator()(dqlite_node* node) const noexcept { dqlite_node_destroy(node); }
};

enum class Phase { created, running, stopped, failed };

}  // namespace

struct DqliteNode::State {
    NodeConfig config;
    Dialer dial;  // what the C connect callback runs; fixed before start, read from worker threads
    std::unique_ptr<dqlite_node, NodeDeleter> node{};
    Phase phase = Phase::created;
    std::string bound{};

    State() = default;
    State(const State&) = delete;
    State& operator=(const State&) = delete;
    // Here rather than in ~DqliteNode so that a move assignment stops the node it replaces.
    ~State();
};

namespace {

// The bridge libdqlite calls (from its worker threads) to reach a peer; `arg` is the Dialer kept
// in the node's State, which outlives the running node.
int connect_to_peer(void* arg, const char* address, int* fd) {
    const auto* dial = static_cast<const Dialer*>(arg);
    try {
        *fd = dial_with(*dial, address).release();
        return 0;
    } catch (const std::exception& error) {
        spdlog::debug("dqlite: cannot reach peer {}: {}", address, error.what());
    } catch (...) {
        spdlog::debug("dqlite: cannot reach peer {}: unknown error", address);
    }
    return 1;  // libdqlite reports RAFT_NOCONNECTION and raft tries again later
}

std::string describe(const NodeConfig& config) {
    return "dqlite node " + std::to_string(config.id) + " (" + config.address + ", data in " +
           config.data_dir.string() + ")";
}

[[noreturn]] void throw_node_error(const NodeConfig& config, dqlite_node* node, const std::string& step, int rc) {
    const std::string reason = node != nullptr ? dqlite_node_errmsg(node) : "";
    throw Error("dqlite_node",
                "cannot " + step + " " + describe(config) + ": " +
                    (reason.empty() ? "libdqlite returned " + std::to_string(rc)
                                    : reason + " (code " + std::to_string(rc) + ")"),
                {{"id", config.id},
                 {"address", config.address},
                 {"data_dir", config.data_dir.string()},
                 {"step", step},
                 {"rc", rc},
                 {"reason", reason}});
}

void check(const NodeConfig& config, dqlite_node* node, const std::string& step, int rc) {
    if (rc != 0) {
        throw_node_error(config, node, step, rc);
    }
}

void prepare_data_dir(const NodeConfig& config) {
    namespace fs = std::filesystem;
    std::error_code error;
    if (fs::is_directory(config.data_dir, error)) {
        return;
    }
    if (!fs::create_directories(config.data_dir, error) || error) {
        throw Error("dqlite_node", "cannot create the data directory of " + describe(config) + ": " + error.message(),
                    {{"id", config.id}, {"data_dir", config.data_dir.string()}});
    }
    fs::permissions(config.data_dir, fs::perms::owner_all, error);
}

void check_config(const NodeConfig& config) {
    std::string problem;
    if (config.id == 0) {
        problem = "the id is 0 (use kBootstrapNodeId for the first member, generate_node_id() for the others)";
    } else if (config.address.empty()) {
        problem = "no address given";
    } else if (config.data_dir.empty()) {
        problem = "no data directory given";
    }
    if (!problem.empty()) {
        throw Error("dqlite_node", "cannot create " + describe(config) + ": " + problem, {{"id", config.id}});
    }
}

}  // namespace

NodeId generate_node_id(const std::string& address) {
    return dqlite_generate_node_id(address.c_str());
}

DqliteNode::DqliteNode(NodeConfig config) : state_(std::make_unique<State>()) {
    check_config(config);
    prepare_data_dir(config);
    state_->config = std::move(config);
    const NodeConfig& cfg = state_->config;
    state_->dial = cfg.dial ? cfg.dial : default_dialer();

    dqlite_node* raw = nullptr;
    const int rc = dqlite_node_create(cfg.id, cfg.address.c_str(), cfg.data_dir.c_str(), &raw);
    state_->node.reset(raw);
    check(cfg, raw, "create", rc);

    // Ours even for plain TCP: libdqlite's own dialer knows IPv4 host:port only.
    check(cfg, raw, "set the connect function of", dqlite_node_set_connect_func(raw, connect_to_peer, &state_->dial));
    if (cfg.network_latency) {
        check(cfg, raw, "set the network latency of",
              dqlite_node_set_network_latency_ms(raw, static_cast<unsigned>(cfg.network_latency->count())));
    }
    if (cfg.snapshot) {
        check(cfg, raw, "set the snapshot parameters of",
              dqlite_node_set_snapshot_params(raw, cfg.snapshot->threshold, cfg.snapshot->trailing));
    }
    if (cfg.failure_domain) {
        check(cfg, raw, "set the failure domain of", dqlite_node_set_failure_domain(raw, *cfg.failure_domain));
    }
}

DqliteNode::State::~State() {
    if (phase == Phase::running) {
        if (const int rc = dqlite_node_stop(node.get()); rc != 0) {
            spdlog::warn("{} stopped with code {}", describe(config), rc);
        }
    }
    if (phase == Phase::failed) {
        // A failed start leaves libdqlite's loop half torn down; destroying it is not safe.
        (void)node.release();
    }
}

DqliteNode::~DqliteNode() = default;
DqliteNode::DqliteNode(DqliteNode&&) noexcept = default;
DqliteNode& DqliteNode::operator=(DqliteNode&&) noexcept = default;

namespace {

// libdqlite and libuv write to sockets with plain write(): a peer that hangs up would otherwise
// kill the process with SIGPIPE. A handler the application installed is left alone.
void ignore_sigpipe() {
    struct sigaction current {};
    if (::sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
        ::signal(SIGPIPE, SIG_IGN);
    }
}

}  // namespace

void DqliteNode::start() {
    State& state = *state_;
    if (state.phase != Phase::created) {
        throw Error("dqlite_node",
                    "cannot start " + describe(state.config) +
                        " again: a node starts once; create a new one on the same data directory",
                    {{"id", state.config.id}});
    }
    ignore_sigpipe();
    const std::string& bind = state.config.bind_address.empty() ? state.config.address : state.config.bind_address;
    check(state.config, state.node.get(), "bind " + bind + " for",
          dqlite_node_set_bind_address(state.node.get(), bind.c_str()));
    if (const char* bound = dqlite_node_get_bind_address(state.node.get())) {
        state.bound = bound;
    }
    if (const int rc = dqlite_node_start(state.node.get()); rc != 0) {
        state.phase = Phase::failed;
        throw_node_error(state.config, state.node.get(), "start", rc);
    }
    state.phase = Phase::running;
}

void DqliteNode::recover(const std::vector<NodeInfo>& nodes) {
    State& state = *state_;
    if (state.phase != Phase::created) {
        throw Error("dqlite_node", "cannot recover " + describe(state.config) + ": it has been started; recover a node "
                    "that is created and not started", {{"id", state.config.id}});
    }
    std::vector<dqlite_node_info_ext> infos;
    infos.reserve(nodes.size());
    for (const NodeInfo& node : nodes) {
        dqlite_node_info_ext info{};
        info.size = sizeof info;
        info.id = node.id;
        info.address = reinterpret_cast<std::uint64_t>(node.address.c_str());
        info.dqlite_role = static_cast<std::uint64_t>(node.role);
        infos.push_back(info);
    }
    check(state.config, state.node.get(), "recover",
          dqlite_node_recover_ext(state.node.get(), infos.data(), static_cast<int>(infos.size())));
}

void DqliteNode::stop() {
    State& state = *state_;
    if (state.phase != Phase::running) {
        return;
    }
    state.phase = Phase::stopped;
    check(state.config, state.node.get(), "stop", dqlite_node_stop(state.node.get()));
}

bool DqliteNode::running() const noexcept {
    return state_ && state_->phase == Phase::running;
}

NodeId DqliteNode::id() const noexcept {
    return state_->config.id;
}

const std::string& DqliteNode::address() const noexcept {
    return state_->config.address;
}

const std::filesystem::path& DqliteNode::data_dir() const noexcept {
    return state_->config.data_dir;
}

std::string DqliteNode::bind_address() const {
    return state_->bound;
}

}  // namespace microcloud::host::cluster
