// host/store/store.cpp - the Store: connecting to the leader, retrying across leader changes and
// busy databases, and the typed operations as one-statement runs or transactions.
#include "store/store.hpp"

#include "common/backoff.hpp"
#include "common/error.hpp"
#include "store/transaction.hpp"


namespace microcloud::host::store {
namespace {

using namespace std::chrono_literals;

constexpr std::chrono::milliseconds kFirstBusyPause{5};
constexpr std::chrono::milliseconds kLongestBusyPause{100};

}  // namespace

ClientFactory leader_connector(cluster::LeaderSearch search) {
    return [search = std::move(search)] { return cluster::connect_to_leader(search); };
}

Store::Store(ClientFactory connect, StoreOptions options) : connect_(std::move(connect)), options_(std::move(options)) {
    if (!connect_) {
        throw Error("invalid_store", "the store needs a way to connect to the dqlite leader");
    }
    if (!options_.now) {
        options_.now = system_now;
    }
}

cluster::Client& Store::connected() {
    if (!client_) {
        cluster::Client client = connect_();
        client.open(options_.database);
        client_.emplace(std::move(client));
    }
    return *client_;
}

void Store::disconnect() {
    std::lock_guard lock(mutex_);
    client_.reset();
}

void Store::execute(bool transactional, const std::function<void(Session&)>& body) {
    std::lock_guard lock(mutex_);
    bool reconnected = false;
    const auto busy_until = std::chrono::steady_clock::now() + options_.busy_timeout;
    Backoff pause(kFirstBusyPause, kLongestBusyPause);
    for (;;) {
        try {
            cluster::Client& client = connected();
            Session session(client, options_.now);
            if (transactional) {
                in_transaction(client, [&] { body(session); });
            } else {
                body(session);
            }
            return;
        } catch (const Error& error) {
            const bool lost = is_leader_change(error) || error.code() == "dqlite_timeout";
            if (lost) {
                client_.reset();  // unusable, or pointed at a follower
            }
            if (is_leader_change(error) && !is_commit_unknown(error) && !reconnected) {
                reconnected = true;
                continue;
            }
            if (is_busy(error) && std::chrono::steady_clock::now() < busy_until) {
                pause.sleep();
                continue;
            }
            throw;
        }
    }
}

SchemaUpdate Store::migrate() {
    return migrate(migrations());
}

SchemaUpdate Store::migrate(const std::vector<Migration>& steps) {
    return transaction([&](Session& session) { return apply_migrations(session.client(), steps, session.now()); });
}

void Store::add_member(const Member& member) {
    run([&](Session& s) { s.add_member(member); });
}
void Store::update_member(const Member& member) {
    run([&](Session& s) { s.update_member(member); });
}
void Store::set_member_role(const std::string& name, MemberRole role) {
    run([&](Session& s) { s.set_member_role(name, role); });
}
void Store::remove_member(const std::string& name) {
    transaction([&](Session& s) { s.remove_member(name); });
}
std::vector<Member> Store::list_members() {
    return run([](Session& s) { return s.list_members(); });
}

std::vector<Member> Store::list_members_without_certificates() {
    return run([](Session& s) { return s.list_members_without_certificates(); });
}
std::optional<Member> Store::find_member(const std::string& name) {
    return run([&](Session& s) { return s.find_member(name); });
}

void Store::issue_token(const JoinToken& token) {
    run([&](Session& s) { s.issue_token(token); });
}
std::optional<JoinToken> Store::find_token(const std::string& name) {
    return run([&](Session& s) { return s.find_token(name); });
}
JoinToken Store::consume_token(const std::string& name, const std::string& secret_hash) {
    return run([&](Session& s) { return s.consume_token(name, secret_hash); });
}
std::size_t Store::expire_tokens() {
    return run([](Session& s) { return s.expire_tokens(); });
}
bool Store::revoke_token(const std::string& name) {
    return run([&](Session& s) { return s.revoke_token(name); });
}
std::vector<JoinToken> Store::list_tokens() {
    return run([](Session& s) { return s.list_tokens(); });
}

std::optional<std::string> Store::get_config(const std::string& key) {
    return run([&](Session& s) { return s.get_config(key); });
}
void Store::set_config(const std::string& key, const std::string& value) {
    run([&](Session& s) { s.set_config(key, value); });
}
bool Store::unset_config(const std::string& key) {
    return run([&](Session& s) { return s.unset_config(key); });
}
std::map<std::string, std::string> Store::list_config() {
    return run([](Session& s) { return s.list_config(); });
}

void Store::put_plugin_state(const std::string& member, const std::string& plugin, const nlohmann::json& state) {
    run([&](Session& s) { s.put_plugin_state(member, plugin, state); });
}
std::optional<PluginState> Store::get_plugin_state(const std::string& member, const std::string& plugin) {
    return run([&](Session& s) { return s.get_plugin_state(member, plugin); });
}
std::vector<PluginState> Store::list_plugin_states() {
    return run([](Session& s) { return s.list_plugin_states(); });
}
std::vector<PluginState> Store::list_plugin_states(const std::string& member) {
    return run([&](Session& s) { return s.list_plugin_states(member); });
}

}  // namespace microcloud::host::store
