// host/store/store.hpp - MicroCloud's state in dqlite: a connection to the leader (made again when
// leadership moves), the schema brought up to date, typed operations and transactions.
#pragma once

#include "cluster/dqlite_client.hpp"
#include "cluster/dqlite_leader.hpp"
#include "store/records.hpp"
#include "store/schema.hpp"
#include "store/session.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace microcloud::host::store {

// Makes a client connected to the current leader (the database not yet open).
using ClientFactory = std::function<cluster::Client()>;

// A factory that searches the given members for the leader (connect_to_leader).
ClientFactory leader_connector(cluster::LeaderSearch search);

struct StoreOptions {
    std::string database = "microcloud";
    Clock now = system_now;
    // How long to keep retrying while another connection holds the write lock.
    std::chrono::milliseconds busy_timeout{5000};
};

// Thread-safe: operations from several threads run one after the other on one connection.
// Every operation connects on first use, and when the connection went to a node that no longer
// leads (dqlite_not_leader) or went away (dqlite_unreachable) it reconnects through the factory
// and tries once more; while the database is busy with another writer it retries until
// busy_timeout. A COMMIT whose connection broke is not retried (its error carries
// commit_outcome "unknown"). Errors are those of Session and of the cluster client.
class Store {
public:
    explicit Store(ClientFactory connect, StoreOptions options = {});

    // Brings the schema to this binary's version; safe to run on every member at once.
    SchemaUpdate migrate();
    SchemaUpdate migrate(const std::vector<Migration>& steps);

    // Runs fn(Session&) between BEGIN and COMMIT: all its statements take effect or none does
    // (ROLLBACK when it throws). fn may run twice (after a leader change or a busy database), so it
    // must only act through the session. Do not call this Store from inside fn.
    template <class Fn>
    auto transaction(Fn&& fn) -> std::invoke_result_t<Fn&, Session&> {
        return call(true, fn);
    }
    // Like transaction, without BEGIN/COMMIT: each statement commits on its own.
    template <class Fn>
    auto run(Fn&& fn) -> std::invoke_result_t<Fn&, Session&> {
        return call(false, fn);
    }

    void add_member(const Member& member);
    void update_member(const Member& member);
    void set_member_role(const std::string& name, MemberRole role);  // see Session
    void remove_member(const std::string& name);  // with its plugin state, atomically
    std::vector<Member> list_members();
    std::vector<Member> list_members_without_certificates();  // see Session
    std::optional<Member> find_member(const std::string& name);

    void issue_token(const JoinToken& token);
    std::optional<JoinToken> find_token(const std::string& name);
    JoinToken consume_token(const std::string& name, const std::string& secret_hash);
    std::size_t expire_tokens();
    bool revoke_token(const std::string& name);
    std::vector<JoinToken> list_tokens();

    std::optional<std::string> get_config(const std::string& key);
    void set_config(const std::string& key, const std::string& value);
    bool unset_config(const std::string& key);
    std::map<std::string, std::string> list_config();

    void put_plugin_state(const std::string& member, const std::string& plugin, const nlohmann::json& state);
    std::optional<PluginState> get_plugin_state(const std::string& member, const std::string& plugin);
    std::vector<PluginState> list_plugin_states();
    std::vector<PluginState> list_plugin_states(const std::string& member);

    // Drops the connection; the next operation makes a new one.
    void disconnect();

private:
    template <class Fn>
    auto call(bool transactional, Fn& fn) -> std::invoke_result_t<Fn&, Session&> {
        using Result = std::invoke_result_t<Fn&, Session&>;
        if constexpr (std::is_void_v<Result>) {
            execute(transactional, [&](Session& session) { fn(session); });
        } else {
            std::optional<Result> result;
            execute(transactional, [&](Session& session) { result.emplace(fn(session)); });
            return std::move(*result);
        }
    }

    void execute(bool transactional, const std::function<void(Session&)>& body);
    cluster::Client& connected();

    ClientFactory connect_;
    StoreOptions options_;
    std::mutex mutex_;
    std::optional<cluster::Client> client_{};
};

}  // namespace microcloud::host::store
