// host/membership/membership.cpp - starting and stopping a member's cluster runtime, and the steps
// that put a member into a cluster: bootstrap (first member) and join (with a token).
#include "membership/membership.hpp"

#include "api/envelope.hpp"
#include "common/error.hpp"
#include "membership/join_token.hpp"
#include "membership/membership_runtime.hpp"
#include "transport/net_util.hpp"
#include "trust/atomic_file.hpp"
#include "trust/certificate.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

namespace microcloud::host::membership {
namespace {

constexpr const char* kClusterIdentityName = "microcloud";

// Wraps a failure of one step so the message says which member and step failed.
[[noreturn]] void fail_step(const std::string& operation, const std::string& member, const std::string& step,
                            const std::exception& cause) {
    nlohmann::json details{{"member", member}, {"step", step}};
    std::string code = operation + "_failed";
    if (const auto* error = dynamic_cast<const Error*>(&cause)) {
        details["cause_code"] = error->code();
        if (!error->details().is_null()) details["cause"] = error->details();
        // Input errors keep their own code: the user fixes the input, nothing ran.
        if (error->code().rfind("invalid_", 0) == 0 || error->code().rfind("token_", 0) == 0 ||
            error->code().rfind("member_", 0) == 0)
            code = error->code();
    }
    throw Error(code, operation + " failed on member " + member + " at step \"" + step + "\": " + cause.what(),
                std::move(details));
}

void remove_path(const std::filesystem::path& path) {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
    if (ec) spdlog::warn("cannot remove {}: {}", path.string(), ec.message());
}

}  // namespace

Membership::Membership(MembershipOptions options) : options_(std::move(options)) {
    identity_ = trust::load_or_create_server_identity(options_.state_dir, options_.member_name, {});
    own_credentials_ = {identity_.certificate_pem, identity_.key_pem};
    local_ = read_local_member(options_.state_dir);
    if (local_) {
        cluster_identity_ = trust::load_or_create_identity(options_.state_dir, "cluster", kClusterIdentityName, {});
        truststore_ = std::make_unique<trust::Truststore>(truststore_dir(options_.state_dir));
    } else {
        truststore_ = std::make_unique<trust::Truststore>();  // nothing on disk until the member is clustered
    }
    leaver_ = std::jthread([this](std::stop_token stop) { leave_loop(stop); });
}

Membership::~Membership() {
    leaver_.request_stop();
    leave_wake_.notify_all();
    if (leaver_.joinable()) leaver_.join();
    stop();
}

void Membership::resume() {
    const std::lock_guard lock(mutex_);
    if (!local_ || runtime_) return;
    start_runtime(*local_);
    spdlog::info("member {} resumed its cluster membership on {}", local_->name, local_->address);
}

void Membership::stop() {
    const std::lock_guard lock(mutex_);
    stop_runtime();
}

bool Membership::clustered() const {
    const std::lock_guard lock(mutex_);
    return local_.has_value();
}

std::optional<LocalMember> Membership::local() const {
    const std::lock_guard lock(mutex_);
    return local_;
}

std::string Membership::fingerprint() const {
    return identity_.fingerprint;
}

transport::TlsCredentials Membership::credentials() const {
    return own_credentials_;
}

std::string Membership::cluster_fingerprint() const {
    const std::lock_guard lock(mutex_);
    return cluster_identity_ ? cluster_identity_->fingerprint : std::string();
}

void Membership::set_session_handler(transport::PeerHandler handler) {
    const std::lock_guard lock(session_mutex_);
    if (handler && session_handler_) throw Error("session_exists", "There already is an active session");
    session_handler_ = std::move(handler);
}

void Membership::abandon() {
    const std::lock_guard lock(mutex_);
    spdlog::warn("member {} forgets its cluster (undoing a failed formation)", options_.member_name);
    discard_cluster_state();
}

transport::PeerClientOptions Membership::client_options() const {
    transport::PeerClientOptions options;
    options.credentials = own_credentials_;
    if (cluster_identity_) options.server_fingerprints = {cluster_identity_->fingerprint};
    return options;
}

void Membership::start_runtime(const LocalMember& self) {
    auto runtime = std::make_unique<Runtime>();
    Runtime* rt = runtime.get();
    rt->self = self;
    const transport::PeerClientOptions peer_options = client_options();
    rt->dial = [rt, tunnel = transport::tunnel_dialer(rt->tunnels, [peer_options] { return peer_options; })](
                   const std::string& address) -> int {
        if (address == rt->self.address) return cluster::dial_address(rt->node->bind_address()).release();
        return tunnel(address);
    };

    cluster::NodeConfig node;
    node.id = self.node_id;
    node.address = self.address;
    node.data_dir = database_dir(options_.state_dir);
    node.bind_address = "@";
    node.dial = rt->dial;
    node.network_latency = options_.network_latency;
    rt->node = std::make_unique<cluster::DqliteNode>(std::move(node));
    rt->node->start();

    transport::PeerServerOptions server;
    server.listen_address = self.address;
    server.credentials = {cluster_identity_->certificate_pem, cluster_identity_->key_pem};
    server.trusted = [this](const std::string& fingerprint) {
        return fingerprint == identity_.fingerprint || truststore_->find_by_fingerprint(fingerprint).has_value();
    };
    // The members' addresses (this one's too) keep slots of the listener that strangers cannot take.
    server.member_address = [this, own = transport::net::host_of(self.address)](const std::string& ip) {
        if (ip == own) return true;
        const auto peers = truststore_->list();
        return std::any_of(peers.begin(), peers.end(),
                           [&](const trust::TrustedPeer& peer) { return transport::net::host_of(peer.address) == ip; });
    };
    rt->server = std::make_unique<transport::PeerServer>(std::move(server));
    register_routes(*rt);
    rt->server->start();

    rt->store = std::make_unique<store::Store>([this, rt] {
        cluster::LeaderSearch search;
        search.addresses.push_back(rt->self.address);
        for (const auto& peer : truststore_->list())
            if (peer.address != rt->self.address) search.addresses.push_back(peer.address);
        search.client.dial = rt->dial;
        search.timeout = std::chrono::milliseconds(10000);
        return cluster::connect_to_leader(search);
    });
    runtime_ = std::move(runtime);
    rt->upkeep = std::jthread([this, rt](std::stop_token stop) { upkeep_loop(*rt, stop); });
}

void Membership::stop_runtime() {
    if (!runtime_) return;
    Runtime& rt = *runtime_;
    if (rt.upkeep.joinable()) {
        rt.upkeep.request_stop();
        rt.wake.notify_all();
        rt.upkeep.join();
    }
    if (rt.server) rt.server->stop();  // no handler runs after this
    rt.store.reset();
    if (rt.node) rt.node->stop();
    rt.tunnels.stop();
    runtime_.reset();
}

store::Store& Membership::store() {
    if (!runtime_)
        throw Error("not_clustered",
                    "Member " + options_.member_name +
                        " is not part of a cluster (run \"microcloud cluster bootstrap\" or join one)");
    return *runtime_->store;
}

nlohmann::json Membership::bootstrap(const std::string& address) {
    const std::lock_guard lock(mutex_);
    if (local_)
        throw Error("already_clustered",
                    "Member " + local_->name + " is already part of a cluster (address " + local_->address + ")");
    const LocalMember self{options_.member_name, normalise_member_address(address, transport::kDefaultPeerPort),
                           cluster::kBootstrapNodeId};
    std::string step = "create the cluster certificate";
    try {
        cluster_identity_ = trust::load_or_create_identity(options_.state_dir, "cluster", kClusterIdentityName, {});
        truststore_ = std::make_unique<trust::Truststore>(truststore_dir(options_.state_dir));
        step = "start the dqlite node and the listener on " + self.address;
        start_runtime(self);
        step = "create the schema";
        runtime_->store->migrate();
        step = "record the member";
        runtime_->store->add_member(store::Member{.name = self.name,
                                                  .address = self.address,
                                                  .certificate = identity_.certificate_pem,
                                                  .fingerprint = identity_.fingerprint,
                                                  .role = store::MemberRole::voter,
                                                  .node_id = self.node_id,
                                                  .joined_at = store::system_now()});
        step = "write the member file";
        write_local_member(options_.state_dir, self);
    } catch (const std::exception& error) {
        spdlog::warn("bootstrap of {} failed at step \"{}\": {}; rolling back", self.name, step, error.what());
        discard_cluster_state();
        fail_step("bootstrap", self.name, step, error);
    }
    local_ = self;
    spdlog::info("member {} bootstrapped a new cluster on {}", self.name, self.address);
    return {{"name", self.name}, {"address", self.address}, {"fingerprint", cluster_identity_->fingerprint}};
}

void Membership::discard_cluster_state() {
    stop_runtime();
    remove_path(cluster_dir(options_.state_dir));
    remove_path(options_.state_dir / "cluster.crt");
    remove_path(options_.state_dir / "cluster.key");
    cluster_identity_.reset();
    truststore_ = std::make_unique<trust::Truststore>();
    local_.reset();
}

nlohmann::json Membership::join(const std::string& token_text, const std::string& address) {
    const std::lock_guard lock(mutex_);
    if (local_)
        throw Error("already_clustered",
                    "Member " + local_->name + " is already part of a cluster (address " + local_->address + ")");
    const JoinTokenText token = decode_join_token(token_text);
    if (token.joiner != options_.member_name)
        throw Error("invalid_token",
                    "The join token is for member \"" + token.joiner + "\", but this member is \"" +
                        options_.member_name + "\" (issue one with \"microcloud cluster add " + options_.member_name +
                        "\")",
                    {{"field", "token"}, {"joiner", token.joiner}});
    const std::string self_address = normalise_member_address(address, transport::kDefaultPeerPort);
    const LocalMember self{options_.member_name, self_address, cluster::generate_node_id(self_address)};

    const nlohmann::json request{{"token", token.name},
                                 {"secret", token.secret},
                                 {"name", self.name},
                                 {"address", self.address},
                                 {"certificate", identity_.certificate_pem},
                                 {"node_id", self.node_id}};
    transport::PeerClientOptions options = client_options();
    options.server_fingerprints = {token.fingerprint};

    // Ask the members the token names, one after another, until one admits us.
    nlohmann::json admitted;
    std::string admitted_by;
    std::vector<std::string> problems;
    for (const std::string& member : token.addresses) {
        try {
            const auto reply = transport::peer_request(member, "POST", "/1.0/cluster/join", request.dump(), options);
            admitted = api::unwrap(reply.status, reply.body);
            admitted_by = member;
            break;
        } catch (const Error& error) {
            if (error.code() != "peer_unreachable" && error.code() != "tls_timeout" && error.code() != "tls_io")
                fail_step("join", self.name, "be admitted by " + member, error);
            problems.push_back(member + ": " + error.what());
        }
    }
    if (admitted_by.empty())
        throw Error("join_failed",
                    "join failed on member " + self.name + ": no member named in the token answered (" +
                        (problems.empty() ? std::string("none listed") : problems.front()) + ")",
                    {{"member", self.name}, {"step", "reach a member"}, {"problems", problems}});

    std::string step = "store the cluster certificate";
    try {
        const auto cert = admitted.at("cluster_certificate").get<std::string>();
        const auto key = admitted.at("cluster_key").get<std::string>();
        if (trust::fingerprint(cert) != token.fingerprint)
            throw Error("peer_untrusted", "the cluster certificate sent does not match the token's fingerprint");
        trust::write_file_atomically(options_.state_dir / "cluster.key", key, 0600);
        trust::write_file_atomically(options_.state_dir / "cluster.crt", cert, 0644);
        cluster_identity_ = trust::load_or_create_identity(options_.state_dir, "cluster", kClusterIdentityName, {});
        step = "trust the members";
        truststore_ = std::make_unique<trust::Truststore>(truststore_dir(options_.state_dir));
        for (const auto& member : admitted.at("members")) {
            const std::string name = member.at("name").get<std::string>();
            if (name == self.name) continue;
            truststore_->add({name, member.at("address").get<std::string>(), member.value("role", ""),
                              member.at("certificate").get<std::string>(), ""});
        }
        step = "start the dqlite node and the listener on " + self.address;
        start_runtime(self);
        step = "write the member file";
        write_local_member(options_.state_dir, self);
    } catch (const std::exception& error) {
        spdlog::warn("join of {} failed at step \"{}\": {}; rolling back", self.name, step, error.what());
        // The admitting member recorded us: ask it to take us out again (best effort).
        try {
            transport::peer_request(admitted_by, "POST", "/1.0/cluster/remove",
                                    nlohmann::json{{"name", self.name}}.dump(), options);
        } catch (const std::exception& undo) {
            spdlog::warn("could not ask {} to forget {}: {}", admitted_by, self.name, undo.what());
        }
        discard_cluster_state();
        fail_step("join", self.name, step, error);
    }
    local_ = self;
    spdlog::info("member {} joined the cluster through {} on {}", self.name, admitted_by, self.address);
    return {{"name", self.name}, {"address", self.address}, {"admitted_by", admitted_by}};
}

void Membership::leave_loop(std::stop_token stop) {
    std::unique_lock lock(leave_mutex_);
    while (!stop.stop_requested()) {
        leave_wake_.wait(lock, stop, [this] { return !leave_cluster_.empty(); });
        if (stop.stop_requested()) return;
        const std::string cluster = std::exchange(leave_cluster_, std::string());
        lock.unlock();
        {
            const std::lock_guard member_lock(mutex_);
            if (local_ && cluster_identity_ && cluster_identity_->fingerprint == cluster) {
                spdlog::warn("member {} was removed from its cluster; forgetting the cluster state", local_->name);
                discard_cluster_state();
            } else if (local_) {
                spdlog::info("member {}: a removal notice for an earlier cluster is ignored", local_->name);
            }
        }
        lock.lock();
    }
}

}  // namespace microcloud::host::membership
