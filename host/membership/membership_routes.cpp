// host/membership/membership_routes.cpp - what a member answers on its TLS port: who it is, its
// status and system facts for trusted members, the join endpoint (open to strangers holding a token, rate-limited by
// the listener), removal requests from trusted members, a trusted member's call to sync the truststore now
// (after a removal), and the dqlite tunnel.
#include "api/envelope.hpp"
#include "common/error.hpp"
#include "membership/config_change.hpp"
#include "membership/join_token.hpp"
#include "membership/membership.hpp"
#include "membership/membership_runtime.hpp"
#include "store/sql_console.hpp"
#include "trust/certificate.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace microcloud::host::membership {
namespace {

transport::PeerResponse ok(nlohmann::json metadata) {
    return {200, api::sync_response(std::move(metadata)).dump()};
}

nlohmann::json parse_body(const transport::PeerRequest& request) {
    nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
    if (!body.is_object())
        throw Error("invalid_request",
                    "The request body of " + request.method + " " + request.path + " must be a JSON object");
    return body;
}

std::string text_field(const nlohmann::json& body, const std::string& field) {
    if (!body.contains(field) || !body[field].is_string() || body[field].get<std::string>().empty())
        throw Error("invalid_request", "The field \"" + field + "\" is missing or not a non-empty string",
                    {{"field", field}});
    return body[field].get<std::string>();
}

}  // namespace

void Membership::register_routes(Runtime& rt) {
    transport::PeerServer& server = *rt.server;
    server.route("GET", "/1.0", transport::Access::trusted, [this, &rt](const transport::PeerRequest&) {
        return ok({{"name", rt.self.name}, {"address", rt.self.address}, {"fingerprint", identity_.fingerprint}});
    });
    server.route("GET", "/1.0/status/local", transport::Access::trusted, [this](const transport::PeerRequest& request) {
        return ok(local_status_ ? local_status_(request.query == "refresh=1") : nlohmann::json::object());
    });
    server.route("GET", "/1.0/system/local", transport::Access::trusted, [this](const transport::PeerRequest&) {
        if (!local_facts_) throw Error("member_facts_unavailable", "This member serves no system facts");
        return ok(local_facts_());
    });
    server.route("GET", "/1.0/plugins/local", transport::Access::trusted, [this](const transport::PeerRequest&) {
        if (!local_plugins_) throw Error("member_plugins_unavailable", "This member serves no plugin list");
        return ok(local_plugins_());
    });
    server.route("POST", "/1.0/plugins/hook", transport::Access::trusted,
                 [this](const transport::PeerRequest& request) {
                     const nlohmann::json body = parse_body(request);
                     if (!hook_runner_) throw Error("plugin_not_found", "This member runs no plugins");
                     return ok(hook_runner_(text_field(body, "plugin"), text_field(body, "hook"),
                                            body.value("input", nlohmann::json::object())));
                 });
    server.route("POST", "/1.0/cluster/join", transport::Access::open,
                 [this, &rt](const transport::PeerRequest& request) { return admit(rt, request); });
    server.route("POST", "/1.0/session/join", transport::Access::open, [this](const transport::PeerRequest& request) {
        transport::PeerHandler handler;
        {
            const std::lock_guard lock(session_mutex_);
            handler = session_handler_;
        }
        if (!handler) throw Error("session_not_found", "There is no active session");
        return handler(request);
    });
    server.route("POST", "/1.0/cluster/remove", transport::Access::trusted,
                 [this, &rt](const transport::PeerRequest& request) {
                     return ok(remove_locked(rt, text_field(parse_body(request), "name")));
                 });
    server.route("POST", "/1.0/cluster/removed", transport::Access::trusted,
                 [this, cluster = cluster_identity_->fingerprint](const transport::PeerRequest& request) {
                     spdlog::warn("member at {} says this member was removed from the cluster", request.remote_address);
                     {
                         const std::lock_guard lock(leave_mutex_);
                         leave_cluster_ = cluster;
                     }
                     leave_wake_.notify_all();
                     return ok(nullptr);
                 });
    server.route("POST", "/1.0/cluster/trust/sync", transport::Access::trusted,
                 [this, &rt](const transport::PeerRequest&) {
                     sync_truststore(rt);
                     return ok(nullptr);
                 });
    server.upgrade_route("/1.0/dqlite", "dqlite", [&rt](const transport::PeerRequest&, transport::TlsStream& stream) {
        transport::bridge(stream, cluster::dial_address(rt.node->bind_address()));
    });
}

nlohmann::json Membership::issue_token(const std::string& joiner) {
    const std::lock_guard lock(mutex_);
    store::Store& st = store();
    if (joiner.empty() || joiner.size() > 63 ||
        joiner.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") !=
            std::string::npos ||
        joiner.front() == '.' || joiner.front() == '-')
        throw Error("invalid_member",
                    "Invalid member name \"" + joiner +
                        "\": use 1 to 63 letters, digits, '.', '-' or '_', not starting with '.' or '-'",
                    {{"field", "name"}, {"value", joiner}});
    if (st.find_member(joiner))
        throw Error("member_exists", "A member named \"" + joiner + "\" is already part of the cluster",
                    {{"field", "name"}, {"value", joiner}});
    std::vector<std::string> addresses{runtime_->self.address};
    for (const auto& member : st.list_members())
        if (member.address != runtime_->self.address) addresses.push_back(member.address);
    const JoinTokenText token = new_join_token(joiner, cluster_identity_->fingerprint, addresses);
    const store::Timestamp now = store::system_now();
    const store::Timestamp expires = now + options_.token_lifetime;
    st.issue_token({token.name, secret_hash(token.secret), joiner, expires, now});
    return {{"token", encode_join_token(token)},
            {"name", token.name},
            {"joiner", joiner},
            {"expires_at", std::chrono::duration_cast<std::chrono::seconds>(expires.time_since_epoch()).count()}};
}

namespace {

std::int64_t epoch_seconds(store::Timestamp t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

nlohmann::json Membership::list_tokens() {
    const std::lock_guard lock(mutex_);
    const store::Timestamp now = store::system_now();
    nlohmann::json tokens = nlohmann::json::array();
    for (const store::JoinToken& token : store().list_tokens()) {
        if (token.expires_at <= now) continue;  // unusable; the upkeep deletes it
        tokens.push_back({{"name", token.joiner},
                          {"token_name", token.name},
                          {"created_at", epoch_seconds(token.created_at)},
                          {"expires_at", epoch_seconds(token.expires_at)}});
    }
    std::sort(tokens.begin(), tokens.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
        return std::pair(a["name"].get<std::string>(), a["token_name"].get<std::string>()) <
               std::pair(b["name"].get<std::string>(), b["token_name"].get<std::string>());
    });
    return tokens;
}

nlohmann::json Membership::revoke_token(const std::string& name) {
    const std::lock_guard lock(mutex_);
    store::Store& st = store();
    nlohmann::json revoked = nlohmann::json::array();
    for (const store::JoinToken& token : st.list_tokens())
        if ((token.joiner == name || token.name == name) && st.revoke_token(token.name)) revoked.push_back(token.name);
    if (revoked.empty())
        throw Error("token_not_found",
                    "No join token for \"" + name + "\" (see microcloud tokens list for the tokens that can be used)",
                    {{"field", "name"}, {"value", name}});
    return {{"name", name}, {"revoked", revoked}};
}

nlohmann::json Membership::sql(const std::string& text) {
    const std::lock_guard lock(mutex_);
    // Without a transaction: each statement commits on its own, as typed.
    return store().run([&](store::Session& session) { return store::run_sql(session.client(), text); });
}

transport::PeerResponse Membership::admit(Runtime& rt, const transport::PeerRequest& request) {
    const nlohmann::json body = parse_body(request);
    const std::string token_name = text_field(body, "token");
    const std::string secret = text_field(body, "secret");
    const std::string name = text_field(body, "name");
    const std::string address = normalise_member_address(text_field(body, "address"), transport::kDefaultPeerPort);
    const std::string certificate = text_field(body, "certificate");
    if (!body.contains("node_id") || !body["node_id"].is_number_unsigned() || body["node_id"].get<std::uint64_t>() == 0)
        throw Error("invalid_request", "The field \"node_id\" must be a positive integer", {{"field", "node_id"}});
    const auto node_id = body["node_id"].get<cluster::NodeId>();
    const std::string presented = trust::fingerprint(certificate);
    if (!request.client || request.client->fingerprint != presented)
        throw Error(
            "certificate_untrusted",
            "The joiner must connect with the certificate it asks to be trusted with (fingerprint " + presented + ")",
            {{"field", "certificate"}});

    store::Store& st = *rt.store;
    const store::JoinToken used = st.transaction([&](store::Session& session) {
        store::JoinToken token = session.consume_token(token_name, secret_hash(secret));
        if (token.joiner != name)
            throw Error("token_invalid",
                        "The join token was issued for member \"" + token.joiner + "\", not \"" + name + "\"",
                        {{"field", "name"}, {"value", name}});
        session.add_member(store::Member{.name = name,
                                         .address = address,
                                         .certificate = certificate,
                                         .fingerprint = presented,
                                         .role = store::MemberRole::pending,
                                         .node_id = node_id,
                                         .joined_at = session.now()});
        return token;
    });
    try {
        {
            // The upkeep's sync_truststore may add the member from the store (where it is pending
            // already) at any moment: both change the truststore one at a time.
            const std::lock_guard trust_lock(trust_sync_mutex_);
            if (truststore_->find_by_name(name)) truststore_->remove(name);
            truststore_->add({name, address, "pending", certificate, ""});
        }
        change_configuration(st, [&](cluster::Client& client) { client.add(node_id, address); });
    } catch (const std::exception& error) {
        spdlog::warn("admitting {} failed: {}; taking it out again", name, error.what());
        truststore_->remove(name);
        rt.server->close_untrusted();  // anything it opened while briefly trusted
        st.transaction([&](store::Session& session) {
            session.remove_member(name);
            session.issue_token(used);  // the joiner may try again with the same token
        });
        throw;
    }
    nlohmann::json members = nlohmann::json::array();
    for (const auto& member : st.list_members())
        members.push_back({{"name", member.name},
                           {"address", member.address},
                           {"certificate", member.certificate},
                           {"role", store::member_role_name(member.role)}});
    rt.wake_upkeep();  // the leader's upkeep gives the newcomer a role now
    spdlog::info("admitted member {} ({}) into the cluster", name, address);
    return ok({{"cluster_certificate", cluster_identity_->certificate_pem},
               {"cluster_key", cluster_identity_->key_pem},
               {"members", members}});
}

}  // namespace microcloud::host::membership
