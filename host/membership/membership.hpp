// host/membership/membership.hpp - this member's part in the MicroCloud cluster: its TLS listener
// (port 9443), its dqlite node tunnelled through that listener, the store on top, and the steps
// that change the member set (bootstrap, issue a join token, join, remove) with their rollback.
// Cluster formation (discovery and passphrase trust) ends in these same steps.
#pragma once

#include "cluster/dqlite_node.hpp"
#include "membership/member_file.hpp"
#include "store/store.hpp"
#include "transport/peer_client.hpp"
#include "transport/peer_server.hpp"
#include "trust/identity.hpp"
#include "trust/truststore.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace microcloud::host::membership {

struct MembershipOptions {
    std::filesystem::path state_dir{};
    std::string member_name{};
    // How often the member syncs its truststore and, when it leads, rebalances roles.
    std::chrono::milliseconds upkeep_interval{1000};
    // How long a member may take to answer before it counts as OFFLINE.
    std::chrono::milliseconds probe_timeout{1000};
    // dqlite's average one-way latency: heartbeats every 1.5x, elections after 15x.
    std::chrono::milliseconds network_latency{100};
    std::chrono::seconds token_lifetime{3600};
};

// Errors carry a code and name the member and step: "not_clustered", "already_clustered",
// "invalid_address", "invalid_token", "token_*", "member_*", "join_failed", "peer_*", "dqlite_*".
class Membership {
public:
    explicit Membership(MembershipOptions options);
    ~Membership();  // stop()
    Membership(const Membership&) = delete;
    Membership& operator=(const Membership&) = delete;

    // Starts the listener, the dqlite node and the upkeep of a member that bootstrapped or joined
    // before (its member file exists); does nothing for a member outside any cluster.
    void resume();
    // Stops everything resume/bootstrap/join started; the member stays in its cluster.
    void stop();

    bool clustered() const;
    std::optional<LocalMember> local() const;
    // This member's certificate fingerprint (member identity).
    std::string fingerprint() const;

    // This member's own certificate and key (what it presents as a TLS client).
    transport::TlsCredentials credentials() const;
    // The cluster certificate's fingerprint (what every member presents on its TLS port); empty
    // when not clustered.
    std::string cluster_fingerprint() const;
    // Routes POST /1.0/session/join to `handler` while a trust session runs; an empty handler
    // ends it (the route then answers "There is no active session"). Throws
    // Error("session_exists", "There already is an active session") when one runs.
    void set_session_handler(transport::PeerHandler handler);
    // What GET /1.0/status/local answers to peers: this member's own status (its plugins), fresh
    // throughout when asked with ?refresh=1 (the bool). Set before resume().
    void set_local_status(std::function<nlohmann::json(bool refresh)> local_status);
    // What GET /1.0/system/local answers to trusted peers: this member's system facts (hostname,
    // interfaces, disks, default route), as its plugins see them. Set before resume().
    void set_local_facts(std::function<nlohmann::json()> local_facts);
    // The system facts of member `name`: this member's from local_facts, another's asked over mTLS.
    // Throws Error "member_not_found" (not a member; "not_clustered" outside a cluster) or
    // "member_facts_unavailable" (no answer, or no facts provider here), naming the member.
    nlohmann::json member_facts(const std::string& name);
    // What GET /1.0/plugins/local answers to trusted peers: this member's plugins (found, loaded,
    // disabled, failed). Set before resume().
    void set_local_plugins(std::function<nlohmann::json()> local_plugins);
    // The plugins of member `name`, as member_facts (errors "member_not_found",
    // "member_plugins_unavailable").
    nlohmann::json member_plugins(const std::string& name);
    // Every member's status: this member's from local_status, the others' asked over mTLS (in
    // parallel); each with address, role and status: ONLINE when it answered, else OFFLINE with
    // the error (that answer is the liveness probe: no second handshake per member). `refresh`
    // asks every member for a fresh discovery (Member::local_status).
    nlohmann::json cluster_status(bool refresh = false);
    // Has this member's upkeep run now instead of after its interval: on the dqlite leader it
    // gives new members their roles. Nothing happens outside a cluster.
    void wake_upkeep();
    // What POST /1.0/plugins/hook runs for a trusted peer: a hook of a local plugin, answering
    // the HookResult JSON. Set before resume().
    void set_hook_runner(
        std::function<nlohmann::json(const std::string& plugin, const std::string& hook, const nlohmann::json& input)>
            runner);
    // Runs a plugin hook on the named member: this one directly, another over mTLS. Throws when the
    // member is unknown or cannot be reached.
    nlohmann::json call_member_hook(const std::string& member, const std::string& plugin, const std::string& hook,
                                    const nlohmann::json& input);
    // For a member that believes it is clustered but may have been left behind (killed while a
    // formation that then rolled back was joining it): asks the members it knows. Returns
    // "member" when one accepts it, "orphaned" when none does and at least one answered as part
    // of another cluster (another cluster certificate) or refused its certificate, "unknown"
    // when nobody answered. "not_clustered" outside a cluster.
    std::string check_standing();
    // Tells a member to forget the cluster, without touching the cluster state (for a cluster that
    // is being given up as a whole: the undo of a bootstrap). Best effort; false when it did not hear.
    bool dismiss(const std::string& name);
    // Forgets the cluster on this member only (the undo of a bootstrap in a failed formation).
    void abandon();

    // Makes this member the first of a new cluster, listening on `address` ("ip[:port]").
    nlohmann::json bootstrap(const std::string& address);
    // A join token for the member named `joiner`: {"token", "name", "joiner", "expires_at"}.
    nlohmann::json issue_token(const std::string& joiner);
    // The join tokens that can still be used, by joiner name: [{"name" (the joiner), "token_name",
    // "created_at", "expires_at"}] (times in seconds since the epoch). Only the secret's hash is
    // stored, so a token's text cannot be shown again.
    nlohmann::json list_tokens();
    // Revokes every token for the joiner `name` (upstream's key), or the token whose id is `name`.
    // Returns {"name", "revoked": [token ids]}; Error("token_not_found") when there is none.
    nlohmann::json revoke_token(const std::string& name);
    // `microcloud sql`: runs SQL text (or ".schema") on the cluster database (store/sql_console.hpp).
    nlohmann::json sql(const std::string& text);
    // Joins the cluster the token names, listening on `address`.
    nlohmann::json join(const std::string& token, const std::string& address);
    // Every member: name, address, role, status (ONLINE|OFFLINE), fingerprint, node_id, leader.
    nlohmann::json list();
    // list()'s rows; with `probe_members` each member is asked whether it answers (its "status": a TLS
    // request to every member), without it "status" is left out and the rows come from the store alone.
    nlohmann::json listing(bool probe_members);
    // Takes a member out: its roles handed over, its dqlite node removed, its row gone, its
    // certificate no longer trusted by any member that answers (the others drop it within their
    // upkeep round), and the member told to forget the cluster.
    // Without `force`, a member that does not answer is not removed (Error("member_unreachable")).
    nlohmann::json remove(const std::string& name, bool force = false);
    // The checks remove() makes before changing anything (member known, not this one, answering
    // unless `force`), for callers that change other things first. Throws as remove().
    void check_removable(const std::string& name, bool force = false);

private:
    struct Runtime;

    void start_runtime(const LocalMember& self);
    void stop_runtime();
    // Stops the runtime and deletes every cluster file (after a failed step, or once removed).
    void discard_cluster_state();
    void leave_loop(std::stop_token stop);
    transport::PeerClientOptions client_options() const;
    void register_routes(Runtime& runtime);
    transport::PeerResponse admit(Runtime& runtime, const transport::PeerRequest& request);
    void upkeep_loop(Runtime& runtime, std::stop_token stop);
    void upkeep_once(Runtime& runtime);
    // Makes the truststore equal to the members table as it is now (read under trust_sync_mutex_, so a
    // slower sync holding an older list cannot bring back a member just removed); returns the table
    // without the certificates (Session::list_members_without_certificates).
    std::vector<store::Member> sync_truststore(const Runtime& runtime);
    // Asks every other member to sync its truststore now (POST /1.0/cluster/trust/sync), so a removed
    // member's certificate is refused everywhere once the removal returns; one that does not answer
    // catches up in its upkeep round.
    void spread_trust(const Runtime& runtime);
    std::map<std::string, bool> probe(const Runtime& runtime, const std::vector<store::Member>& members) const;
    void rebalance(Runtime& runtime, const std::vector<store::Member>& members);
    nlohmann::json remove_locked(Runtime& runtime, const std::string& name);
    void check_removable_locked(Runtime& runtime, const std::string& name, bool force);
    store::Store& store();

    MembershipOptions options_;
    trust::Identity identity_;                       // this member's own key pair
    transport::TlsCredentials own_credentials_;      // identity_ for TLS, its contexts kept across connections
    std::unique_ptr<trust::Truststore> truststore_;  // the cluster's members, on disk once clustered
    mutable std::mutex mutex_;                       // lifecycle steps one at a time
    std::mutex trust_sync_mutex_;                    // one sync_truststore at a time
    std::optional<LocalMember> local_{};
    std::optional<trust::Identity> cluster_identity_{};
    std::unique_ptr<Runtime> runtime_;
    // Set by a peer that removed this member: the fingerprint of the cluster it was removed from.
    // The leaver thread then forgets that cluster, and only that one: a notice that arrives late
    // must not take a member out of the next cluster it joined. Guarded by leave_mutex_.
    std::string leave_cluster_{};
    std::mutex leave_mutex_;
    std::condition_variable_any leave_wake_;
    std::function<nlohmann::json(bool refresh)> local_status_{};
    std::function<nlohmann::json()> local_facts_{};
    std::function<nlohmann::json()> local_plugins_{};
    // GET `path` of member `name` over mTLS (this member: `local`); `what` names the document in
    // errors ("system facts"), `code` is their code.
    nlohmann::json ask_member(const std::string& name, const std::string& path, const std::function<nlohmann::json()>& local,
                              const std::string& what, const std::string& code);
    std::function<nlohmann::json(const std::string&, const std::string&, const nlohmann::json&)> hook_runner_{};
    std::mutex session_mutex_;
    transport::PeerHandler session_handler_{};
    std::jthread leaver_;
};

}  // namespace microcloud::host::membership
