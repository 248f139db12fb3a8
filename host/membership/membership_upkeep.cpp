// host/membership/membership_upkeep.cpp - what every member does in the background: keep its
// truststore equal to the members table (and, after a removal, have every member do so at once, closing
// the open connections of the certificates it stopped trusting),
// and, on the dqlite leader, probe the members and give them the roles plan_roles asks for
// (recording each member's role in the table).
#include "common/error.hpp"
#include "membership/config_change.hpp"
#include "membership/membership.hpp"
#include "membership/membership_runtime.hpp"
#include "membership/roles.hpp"

#include <spdlog/spdlog.h>

#include <future>
#include <map>
#include <set>

namespace microcloud::host::membership {

void Membership::upkeep_loop(Runtime& rt, std::stop_token stop) {
    while (!stop.stop_requested()) {
        try {
            upkeep_once(rt);
        } catch (const Error& error) {
            // Without quorum or while an election runs this fails; the next round tries again.
            spdlog::debug("upkeep of {}: {} ({})", rt.self.name, error.what(), error.code());
        } catch (const std::exception& error) {
            spdlog::warn("upkeep of {} failed: {}", rt.self.name, error.what());
        }
        std::unique_lock lock(rt.wake_mutex);
        rt.wake.wait_for(lock, stop, options_.upkeep_interval, [&rt] { return rt.wake_requested; });
        rt.wake_requested = false;
    }
}

void Membership::upkeep_once(Runtime& rt) {
    const std::vector<store::Member> members = sync_truststore(rt);
    // Only the leader changes roles: ask the local node who leads.
    cluster::Client local = cluster::Client::connect(rt.node->bind_address());
    const auto leader = local.leader();
    if (leader && leader->id == rt.self.node_id) rebalance(rt, members);
}

std::vector<store::Member> Membership::sync_truststore(const Runtime& rt) {
    const std::lock_guard lock(trust_sync_mutex_);
    // Every member does this every second: the certificates are read only for the members to add.
    std::vector<store::Member> members = rt.store->list_members_without_certificates();
    std::set<std::string> names;
    bool withdrawn = false;  // a certificate trusted before is not any more
    std::vector<std::string> changed;  // members to trust (anew)
    for (const store::Member& member : members) {
        if (member.name == rt.self.name) continue;
        names.insert(member.name);
        const auto known = truststore_->find_by_name(member.name);
        if (known && known->fingerprint == member.fingerprint && known->address == member.address) continue;
        changed.push_back(member.name);
    }
    // Their rows with the certificates: one row for one member, the table at once for more (a member
    // that has just joined, or many joining together).
    std::map<std::string, store::Member> rows;
    if (changed.size() == 1) {
        if (auto row = rt.store->find_member(changed.front())) rows.emplace(row->name, std::move(*row));
    } else if (changed.size() > 1) {
        for (store::Member& row : rt.store->list_members()) rows.emplace(row.name, std::move(row));
    }
    for (const std::string& name : changed) {
        const auto row = rows.find(name);
        if (row == rows.end()) continue;  // removed since the listing; the next round sees it gone
        const store::Member& full = row->second;
        const auto known = truststore_->find_by_name(name);
        if (known && truststore_->remove(name) && known->fingerprint != full.fingerprint) withdrawn = true;
        truststore_->add({full.name, full.address, std::string(store::member_role_name(full.role)), full.certificate, ""});
        spdlog::info("{} now trusts member {} ({})", rt.self.name, name, full.address);
    }
    for (const auto& peer : truststore_->list())
        if (!names.contains(peer.name)) {
            if (truststore_->remove(peer.name)) withdrawn = true;
            spdlog::info("{} no longer trusts {}: not a member any more", rt.self.name, peer.name);
        }
    // Connections that certificate opened while trusted (dqlite tunnels, requests in flight) end now.
    if (withdrawn && rt.server) {
        if (const std::size_t closed = rt.server->close_untrusted(); closed > 0)
            spdlog::info("{} closed {} connection(s) of members it no longer trusts", rt.self.name, closed);
    }
    return members;
}

void Membership::spread_trust(const Runtime& rt) {
    transport::PeerClientOptions options = client_options();
    options.connect_timeout = options_.probe_timeout;
    options.request_timeout = options_.probe_timeout;
    std::vector<std::pair<std::string, std::future<std::string>>> asked;
    for (const auto& peer : truststore_->list()) {
        if (peer.name == rt.self.name) continue;
        asked.emplace_back(peer.name, std::async(std::launch::async, [address = peer.address, options] {
                               try {
                                   const auto reply = transport::peer_request(address, "POST",
                                                                              "/1.0/cluster/trust/sync", "{}", options);
                                   return reply.status == 200 ? std::string() : "HTTP " + std::to_string(reply.status);
                               } catch (const std::exception& error) {
                                   return std::string(error.what());
                               }
                           }));
    }
    for (auto& [name, answer] : asked)
        if (const std::string failure = answer.get(); !failure.empty())
            spdlog::warn("{}: member {} did not sync its truststore now ({}); it will in its upkeep round",
                         rt.self.name, name, failure);
}

std::map<std::string, bool> Membership::probe(const Runtime& rt, const std::vector<store::Member>& members) const {
    transport::PeerClientOptions options = client_options();
    options.connect_timeout = options_.probe_timeout;
    options.request_timeout = options_.probe_timeout;
    std::vector<std::pair<std::string, std::future<bool>>> asked;
    for (const store::Member& member : members) {
        if (member.name == rt.self.name) continue;
        asked.emplace_back(member.name, std::async(std::launch::async, [address = member.address, options] {
                               try {
                                   return transport::peer_request(address, "GET", "/1.0", "", options).status == 200;
                               } catch (const std::exception&) {
                                   return false;
                               }
                           }));
    }
    std::map<std::string, bool> online{{rt.self.name, true}};
    for (auto& [name, answer] : asked) online[name] = answer.get();
    return online;
}

void Membership::rebalance(Runtime& rt, const std::vector<store::Member>& members) {
    auto nodes = rt.store->run([](store::Session& session) { return session.client().cluster(); });
    // Asking every member costs a TLS handshake each, every round: at 50 members that was a third of a
    // core on the leader, idle or not. Spares only matter when a role has to move, so the members that
    // hold a role are asked first with the spares taken as answering; only when that plan changes
    // something is everyone asked and the plan made again from what they said.
    std::set<cluster::NodeId> holders;
    for (const cluster::NodeInfo& node : nodes)
        if (node.role != cluster::Role::spare) holders.insert(node.id);
    std::vector<store::Member> holding;
    for (const store::Member& member : members)
        if (holders.contains(member.node_id)) holding.push_back(member);
    std::map<std::string, bool> answers = probe(rt, holding);
    // The members that answer; those not asked count as answering when `unasked_answer`.
    const auto online = [&](bool unasked_answer) {
        std::set<cluster::NodeId> ids{rt.self.node_id};
        for (const store::Member& member : members) {
            const auto answer = answers.find(member.name);
            if (answer != answers.end() ? answer->second : unasked_answer) ids.insert(member.node_id);
        }
        return ids;
    };
    std::vector<RoleChange> changes = plan_roles(nodes, online(true), rt.self.node_id);
    if (!changes.empty()) {
        std::vector<store::Member> rest;
        for (const store::Member& member : members)
            if (!answers.contains(member.name)) rest.push_back(member);
        answers.merge(probe(rt, rest));
        changes = plan_roles(nodes, online(false), rt.self.node_id);
    }
    for (const RoleChange& change : changes) {
        spdlog::info("{} (leader) assigns node {:x} the role {} (was {})", rt.self.name, change.id,
                     cluster::role_name(change.to), cluster::role_name(change.from));
        change_configuration(
            *rt.store, [&](cluster::Client& client) { client.assign(change.id, change.to); }, std::chrono::seconds(2));
    }
    nodes = rt.store->run([](store::Session& session) { return session.client().cluster(); });
    for (const store::Member& member : members) {
        for (const cluster::NodeInfo& node : nodes) {
            if (node.id != member.node_id) continue;
            const store::MemberRole role = store::parse_member_role(cluster::role_name(node.role));
            if (member.role == role) break;
            try {
                rt.store->set_member_role(member.name, role);
            } catch (const Error& error) {
                if (error.code() != "member_not_found") throw;  // removed since the listing
            }
            break;
        }
    }
}

}  // namespace microcloud::host::membership
