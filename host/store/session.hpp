// host/store/session.hpp - typed statements on MicroCloud's tables over one dqlite connection:
// members, join tokens, cluster config and plugin state. Inside Store::transaction they commit
// together; each one alone is atomic by itself.
#pragma once

#include "cluster/dqlite_client.hpp"
#include "store/records.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace microcloud::host::store {

// Input errors: "invalid_member", "invalid_role", "invalid_token", "invalid_config_key",
// "invalid_plugin_state" (each naming the field and what is accepted). State errors:
// "member_exists" (naming the clashing field and the member holding it), "member_not_found",
// "token_exists", "token_not_found", "token_expired", "token_invalid". Connection and SQL errors
// pass through from the client ("dqlite_*").
class Session {
public:
    Session(cluster::Client& client, Clock now) : client_(client), now_(std::move(now)) {}

    cluster::Client& client() noexcept { return client_; }
    Timestamp now() const { return now_(); }

    // Members, identified by name.
    void add_member(const Member& member);
    // Replaces every field of the member named member.name.
    void update_member(const Member& member);
    // Sets only the role of the member called `name` (the leader's rebalance: nothing else of the
    // row is read or written, so a change made meanwhile to another column stays). Throws
    // Error("member_not_found").
    void set_member_role(const std::string& name, MemberRole role);
    // Also drops the member's plugin state; not atomic unless run in a transaction.
    void remove_member(const std::string& name);
    std::vector<Member> list_members();  // by name
    // The same without the certificates (left empty): what a member's upkeep reads every second,
    // about a tenth of the bytes. Not for update_member, which would write the empty certificate.
    std::vector<Member> list_members_without_certificates();
    std::optional<Member> find_member(const std::string& name);

    // Join tokens, identified by name.
    void issue_token(const JoinToken& token);
    std::optional<JoinToken> find_token(const std::string& name);
    // Uses the token up: it is deleted, so of several callers exactly one gets it. Throws
    // token_not_found (never issued, revoked or already used), token_expired or token_invalid
    // (the secret hash differs).
    JoinToken consume_token(const std::string& name, const std::string& secret_hash);
    // Deletes the tokens whose expiry has passed; returns how many.
    std::size_t expire_tokens();
    // Deletes one token; false when there was none.
    bool revoke_token(const std::string& name);
    std::vector<JoinToken> list_tokens();  // by name

    // Cluster-wide configuration.
    std::optional<std::string> get_config(const std::string& key);
    void set_config(const std::string& key, const std::string& value);
    bool unset_config(const std::string& key);  // false when the key was not set
    std::map<std::string, std::string> list_config();

    // State one plugin keeps about one (existing) member; put replaces it.
    void put_plugin_state(const std::string& member, const std::string& plugin, const nlohmann::json& state);
    std::optional<PluginState> get_plugin_state(const std::string& member, const std::string& plugin);
    std::vector<PluginState> list_plugin_states();  // by member, then plugin
    std::vector<PluginState> list_plugin_states(const std::string& member);

private:
    cluster::Client& client_;
    Clock now_;
};

}  // namespace microcloud::host::store
