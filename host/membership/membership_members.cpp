// host/membership/membership_members.cpp - listing the members with their live role and status,
// reaching one (its hooks, its system facts), and removing one: its roles handed to others first,
// then its dqlite node, row and trust.
#include "api/envelope.hpp"
#include "common/error.hpp"
#include "membership/config_change.hpp"
#include "membership/membership.hpp"
#include "membership/membership_runtime.hpp"
#include "membership/roles.hpp"

#include <spdlog/spdlog.h>

#include <future>

namespace microcloud::host::membership {

nlohmann::json Membership::list() {
    return listing(true);
}

nlohmann::json Membership::listing(bool probe_members) {
    // Held throughout: the runtime must not go (a removal, a rollback) while it is read.
    const std::lock_guard lock(mutex_);
    store();  // throws not_clustered
    Runtime* rt = runtime_.get();
    const std::vector<store::Member> members = rt->store->list_members();
    const auto nodes = rt->store->run([](store::Session& session) { return session.client().cluster(); });
    const auto leader = rt->store->run([](store::Session& session) { return session.client().leader(); });
    const auto online = probe_members ? probe(*rt, members) : std::map<std::string, bool>{};
    nlohmann::json out = nlohmann::json::array();
    for (const store::Member& member : members) {
        std::string role(store::member_role_name(member.role));
        for (const cluster::NodeInfo& node : nodes)
            if (node.id == member.node_id) role = cluster::role_name(node.role);
        nlohmann::json row{{"name", member.name},
                           {"address", member.address},
                           {"role", role},
                           {"fingerprint", member.fingerprint},
                           {"node_id", member.node_id},
                           {"leader", leader && leader->id == member.node_id}};
        if (probe_members) row["status"] = online.at(member.name) ? "ONLINE" : "OFFLINE";
        out.push_back(std::move(row));
    }
    return out;
}

void Membership::set_local_status(std::function<nlohmann::json(bool refresh)> local_status) {
    local_status_ = std::move(local_status);
}

void Membership::set_local_facts(std::function<nlohmann::json()> local_facts) {
    local_facts_ = std::move(local_facts);
}

void Membership::set_local_plugins(std::function<nlohmann::json()> local_plugins) {
    local_plugins_ = std::move(local_plugins);
}

nlohmann::json Membership::member_facts(const std::string& name) {
    return ask_member(name, "/1.0/system/local", local_facts_, "system facts", "member_facts_unavailable");
}

nlohmann::json Membership::member_plugins(const std::string& name) {
    return ask_member(name, "/1.0/plugins/local", local_plugins_, "plugins", "member_plugins_unavailable");
}

nlohmann::json Membership::ask_member(const std::string& name, const std::string& path,
                                      const std::function<nlohmann::json()>& local, const std::string& what,
                                      const std::string& code) {
    if (name == options_.member_name) {
        if (!local) throw Error(code, "Member " + name + " has no " + what + " provider", {{"member", name}});
        return local();
    }
    std::string address;
    {
        const std::lock_guard lock(mutex_);
        const auto found = store().find_member(name);
        if (!found) throw Error("member_not_found", "No member named \"" + name + "\"", {{"member", name}});
        address = found->address;
    }
    transport::PeerClientOptions options = client_options();
    options.connect_timeout = options_.probe_timeout;
    options.request_timeout = std::chrono::seconds(30);  // sysfs, netlink and ethtool on that member
    try {
        const auto reply = transport::peer_request(address, "GET", path, "", options);
        return api::unwrap(reply.status, reply.body);
    } catch (const std::exception& error) {
        throw Error(code, "Cannot read the " + what + " of member " + name + " at " + address + ": " + error.what(),
                    {{"member", name}, {"address", address}});
    }
}

void Membership::set_hook_runner(
    std::function<nlohmann::json(const std::string&, const std::string&, const nlohmann::json&)> runner) {
    hook_runner_ = std::move(runner);
}

nlohmann::json Membership::call_member_hook(const std::string& member, const std::string& plugin,
                                            const std::string& hook, const nlohmann::json& input) {
    if (member == options_.member_name) {
        if (!hook_runner_) throw Error("plugin_not_found", "This member runs no plugins");
        return hook_runner_(plugin, hook, input);
    }
    std::string address;
    {
        const std::lock_guard lock(mutex_);
        const auto found = store().find_member(member);
        if (!found) throw Error("member_not_found", "No member named \"" + member + "\"", {{"member", member}});
        address = found->address;
    }
    transport::PeerClientOptions options = client_options();
    options.request_timeout = std::chrono::minutes(10);  // a component join may take minutes
    const auto reply =
        transport::peer_request(address, "POST", "/1.0/plugins/hook",
                                nlohmann::json{{"plugin", plugin}, {"hook", hook}, {"input", input}}.dump(), options);
    return api::unwrap(reply.status, reply.body);
}

bool Membership::dismiss(const std::string& name) {
    const auto peer = truststore_->find_by_name(name);
    if (!peer) return false;
    transport::PeerClientOptions options = client_options();
    options.connect_timeout = options_.probe_timeout;
    try {
        const auto reply = transport::peer_request(peer->address, "POST", "/1.0/cluster/removed", "{}", options);
        return reply.status == 200;
    } catch (const std::exception& error) {
        spdlog::warn("member {} did not hear that it must forget the cluster: {}", name, error.what());
        return false;
    }
}

std::string Membership::check_standing() {
    std::vector<trust::TrustedPeer> peers;
    {
        const std::lock_guard lock(mutex_);
        if (!local_) return "not_clustered";
        peers = truststore_->list();
    }
    transport::PeerClientOptions options = client_options();
    options.connect_timeout = options_.probe_timeout;
    options.request_timeout = options_.probe_timeout;
    bool refused = false;
    for (const auto& peer : peers) {
        try {
            const auto reply = transport::peer_request(peer.address, "GET", "/1.0", "", options);
            if (reply.status == 200) {
                spdlog::info("{}: member {} at {} accepts it", options_.member_name, peer.name, peer.address);
                return "member";
            }
            if (reply.status == 403) refused = true;
        } catch (const Error& error) {
            if (error.code() == "peer_untrusted") refused = true;  // another cluster's certificate
        }
    }
    return refused ? "orphaned" : "unknown";
}

void Membership::wake_upkeep() {
    const std::lock_guard lock(mutex_);
    if (runtime_) runtime_->wake_upkeep();
}

nlohmann::json Membership::cluster_status(bool refresh) {
    const nlohmann::json members = listing(false);
    transport::PeerClientOptions options = client_options();
    options.connect_timeout = options_.probe_timeout;
    options.request_timeout = std::chrono::seconds(30);  // a member runs its plugins' discovery
    std::vector<std::future<nlohmann::json>> answers;
    for (const auto& member : members) {
        answers.push_back(std::async(std::launch::async, [this, member, options, refresh] {
            nlohmann::json entry = nlohmann::json::object();
            try {
                if (member.value("name", "") == options_.member_name) {
                    if (local_status_) entry = local_status_(refresh);
                } else {
                    const auto reply = transport::peer_request(member.value("address", ""), "GET",
                                                               refresh ? "/1.0/status/local?refresh=1" : "/1.0/status/local",
                                                               "", options);
                    entry = api::unwrap(reply.status, reply.body);
                }
            } catch (const std::exception& error) {
                entry["error"] = error.what();
            }
            for (const char* key : {"name", "address", "role"}) entry[key] = member.value(key, "");
            entry["status"] = entry.contains("error") ? "OFFLINE" : "ONLINE";
            return entry;
        }));
    }
    nlohmann::json out = nlohmann::json::array();
    for (auto& answer : answers) out.push_back(answer.get());
    return out;
}

void Membership::check_removable_locked(Runtime& rt, const std::string& name, bool force) {
    const auto member = rt.store->find_member(name);
    if (!member)
        throw Error("member_not_found", "No member named \"" + name + "\" in the cluster",
                    {{"field", "name"}, {"value", name}});
    if (name == rt.self.name)
        throw Error("member_remove_self",
                    "Member " + name + " cannot remove itself: run the removal on another member");
    if (force) return;
    const auto online = probe(rt, {*member});
    if (!online.at(name))
        throw Error("member_unreachable",
                    "Member \"" + name + "\" does not answer at " + member->address +
                        "; remove it anyway with --force (it keeps its files and must not come back as is)",
                    {{"member", name}, {"address", member->address}});
}

void Membership::check_removable(const std::string& name, bool force) {
    const std::lock_guard lock(mutex_);
    store();
    check_removable_locked(*runtime_, name, force);
}

nlohmann::json Membership::remove(const std::string& name, bool force) {
    const std::lock_guard lock(mutex_);
    store();
    check_removable_locked(*runtime_, name, force);
    return remove_locked(*runtime_, name);
}

nlohmann::json Membership::remove_locked(Runtime& rt, const std::string& name) {
    check_removable_locked(rt, name, true);  // known and not this member (a peer may ask directly)
    const auto member = rt.store->find_member(name);
    std::string step = "hand over its roles";
    try {
        auto nodes = rt.store->run([](store::Session& session) { return session.client().cluster(); });
        const auto leader = rt.store->run([](store::Session& session) { return session.client().leader(); });
        if (leader && leader->id == member->node_id) {
            step = "hand over the leadership";
            for (const auto& node : nodes)
                if (node.role == cluster::Role::voter && node.id != member->node_id) {
                    change_configuration(*rt.store, [&](cluster::Client& client) { client.transfer(node.id); });
                    rt.store->disconnect();
                    break;
                }
        }
        step = "hand over its roles";
        std::set<cluster::NodeId> online;
        const std::vector<store::Member> members = rt.store->list_members();
        for (const auto& [peer, up] : probe(rt, members))
            for (const auto& m : members)
                if (m.name == peer && up && m.node_id != member->node_id) online.insert(m.node_id);
        nodes = rt.store->run([](store::Session& session) { return session.client().cluster(); });
        const auto current_leader = rt.store->run([](store::Session& session) { return session.client().leader(); });
        for (const RoleChange& change :
             plan_roles(nodes, online, current_leader ? current_leader->id : rt.self.node_id))
            change_configuration(*rt.store, [&](cluster::Client& client) { client.assign(change.id, change.to); });
        nodes = rt.store->run([](store::Session& session) { return session.client().cluster(); });
        for (const auto& node : nodes) {
            if (node.id != member->node_id) continue;
            if (node.role != cluster::Role::spare)
                change_configuration(*rt.store,
                                     [&](cluster::Client& client) { client.assign(node.id, cluster::Role::spare); });
            step = "remove its dqlite node";
            change_configuration(*rt.store, [&](cluster::Client& client) { client.remove(node.id); });
        }
        step = "tell it to forget the cluster";
        try {
            transport::PeerClientOptions options = client_options();
            options.connect_timeout = options_.probe_timeout;
            transport::peer_request(member->address, "POST", "/1.0/cluster/removed", "{}", options);
        } catch (const std::exception& error) {
            spdlog::warn("member {} did not hear that it was removed ({}); it keeps stale cluster files", name,
                         error.what());
        }
        step = "delete its record";
        rt.store->remove_member(name);
        step = "withdraw its trust";
        sync_truststore(rt);
        spread_trust(rt);
    } catch (const Error& error) {
        throw Error("remove_failed",
                    "remove failed on member " + rt.self.name + " removing " + name + " at step \"" + step +
                        "\": " + error.what(),
                    {{"member", rt.self.name}, {"removing", name}, {"step", step}, {"cause_code", error.code()}});
    }
    rt.wake_upkeep();
    spdlog::info("member {} removed {} from the cluster", rt.self.name, name);
    return {{"removed", name}};
}

}  // namespace microcloud::host::membership
