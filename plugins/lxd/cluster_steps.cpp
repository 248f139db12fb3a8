// plugins/lxd/cluster_steps.cpp - the REST calls behind the LXD cluster's membership.
#include "cluster_steps.hpp"

#include "join_token.hpp"

#include <algorithm>
#include <thread>

namespace microcloud::plugins::lxd {

using sdk::Error;
using sdk::Json;

namespace {

constexpr std::chrono::seconds ready_limit{120};
constexpr const char* https_keys[] = {"core.https_address", "cluster.https_address"};

// GET /1.0's environment; `query` ("?target=NAME") asks another member through this one.
Json environment(const LxdApi& api, const std::string& query = "") {
    return api.get("/1.0" + query).value("environment", Json::object());
}

std::string server_config(const LxdApi& api, const std::string& key) {
    const Json config = api.get("/1.0").value("config", Json::object());
    auto it = config.find(key);
    return it != config.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void remember(const LxdApi& api, PriorAddresses& prior) {
    if (!prior.config.empty()) return;  // the first change of this run is the one to undo
    const Json config = api.get("/1.0").value("config", Json::object());
    for (const char* key : https_keys) prior.config[key] = config.value(key, "");
}

void patch_config(const LxdApi& api, const Json& config) {
    api.send("PATCH", "/1.0", Json{{"config", config}});
}

std::string last_segment(const std::string& url) {
    return url.substr(url.find_last_of('/') + 1);
}

// Waits until LXD answers as a standalone server (it restarts itself after leaving a cluster).
void wait_standalone(const LxdApi& api) {
    const auto deadline = std::chrono::steady_clock::now() + ready_limit;
    while (std::chrono::steady_clock::now() < deadline) {
        try {
            if (!environment(api).value("server_clustered", true)) return;
        } catch (const Error&) {
            // restarting
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    throw Error("lxd_timeout", "LXD on " + api.socket() + " still reports being clustered " +
                                   std::to_string(ready_limit.count()) + " s after leaving its cluster");
}

// Cancels the token operations LXD holds for `joiner`.
void cancel_tokens(const LxdApi& api, const std::string& joiner) {
    const Json ops = api.get("/1.0/operations?recursion=1");
    for (const auto& [state, list] : ops.items()) {
        if (!list.is_array()) continue;
        for (const Json& op : list)
            if (op.value("class", "") == "token" && op.value("status", "") == "Running" &&
                op.value("metadata", Json::object()).value("serverName", "") == joiner)
                api.send("DELETE", "/1.0/operations/" + op.value("id", ""));
    }
}

// Puts back the addresses this run changed. LXD re-executes itself once it has left a cluster, and
// wait_standalone may have been answered by the process about to go: a request that finds no LXD
// is tried again until one answers and reads the addresses back as they were.
void restore_addresses(const LxdApi& api, const PriorAddresses& prior) {
    const auto deadline = std::chrono::steady_clock::now() + ready_limit;
    for (;;) {
        try {
            patch_config(api, prior.config);
            const Json config = api.get("/1.0").value("config", Json::object());
            bool restored = true;
            for (const auto& [key, value] : prior.config.items())
                restored = restored && config.value(key, "") == value.get<std::string>();
            if (restored) return;
        } catch (const Error& e) {
            if (e.code() == "lxd_error" || std::chrono::steady_clock::now() >= deadline) throw;  // LXD said no
        }
        if (std::chrono::steady_clock::now() >= deadline)
            throw Error("lxd_timeout", "LXD on " + api.socket() + " did not take back its addresses " +
                                           prior.config.dump() + " within " + std::to_string(ready_limit.count()) +
                                           " s");
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
}

}  // namespace

std::string lxd_address(const std::string& ip) {
    return (ip.find(':') != std::string::npos ? "[" + ip + "]" : ip) + ":" + lxd_port;
}

Json bootstrap_cluster(const LxdApi& api, const std::string& name, const std::string& ip, PriorAddresses& prior) {
    Json env = environment(api);
    if (env.value("server_clustered", false)) {
        if (env.value("server_name", "") != name)
            throw Error("already_clustered", "LXD on " + name + " is already a member of a cluster as \"" +
                                                 env.value("server_name", "") + "\"");
    } else {
        remember(api, prior);
        Json config{{"cluster.https_address", lxd_address(ip)}};
        if (prior.config.value("core.https_address", "").empty()) config["core.https_address"] = lxd_address(ip);
        patch_config(api, config);
        api.send("PUT", "/1.0/cluster", Json{{"server_name", name}, {"enabled", true}});
        api.wait_ready(ready_limit);
        env = environment(api);
    }
    return Json{{"cluster_address", server_config(api, "cluster.https_address")},
                {"certificate", env.value("certificate", "")},
                {"fingerprint", env.value("certificate_fingerprint", "")}};
}

Json issue_join_token(const LxdApi& api, const std::string& joiner) {
    const Json env = environment(api);
    if (!env.value("server_clustered", false))
        throw Error("not_clustered", "LXD on this member is not clustered, so it cannot issue a join token");
    Json answer{{"certificate", env.value("certificate", "")},
                {"fingerprint", env.value("certificate_fingerprint", "")},
                {"pools", Json::object()},
                {"networks", Json::array()}};
    answer["pools"] = pool_drivers(api);
    for (const Json& network : api.get("/1.0/networks?recursion=1"))
        if (network.value("managed", false)) answer["networks"].push_back(network.value("name", ""));
    if (api.exists("/1.0/cluster/members/" + joiner)) {
        answer["already_member"] = true;
        return answer;
    }
    cancel_tokens(api, joiner);
    const Json op = api.start("POST", "/1.0/cluster/members", Json{{"server_name", joiner}});
    answer["token"] = encode_join_token(op.value("metadata", Json::object()));
    return answer;
}

void join_cluster(const LxdApi& api, const std::string& name, const std::string& ip, const Json& token,
                  const Json& member_config, PriorAddresses& prior) {
    const Json env = environment(api);
    const std::string cluster_fingerprint = token.value("fingerprint", "");
    if (env.value("server_clustered", false)) {
        if (env.value("server_name", "") == name && env.value("certificate_fingerprint", "") == cluster_fingerprint)
            return;  // joined already
        throw Error("already_clustered", "LXD on " + name + " is already a member of another cluster");
    }
    if (token.value("already_member", false))
        throw Error("member_exists", "LXD's cluster already has a member named " + name +
                                         " while this member's LXD is standalone; remove it from LXD's cluster first");
    const std::string text = token.value("token", "");
    const Json fields = decode_join_token(text);
    const std::string presented = token.value("certificate_fingerprint", "");
    if (fields.value("fingerprint", "") != presented)
        throw Error("fingerprint_mismatch", "the LXD join token names certificate " + fields.value("fingerprint", "") +
                                                " but the cluster certificate handed over is " +
                                                (presented.empty() ? std::string("unknown") : presented));
    if (fields.value("server_name", "") != name)
        throw Error("invalid_token", "the LXD join token is for " + fields.value("server_name", "") + ", not " + name);
    remember(api, prior);
    if (prior.config.value("core.https_address", "").empty())
        patch_config(api, Json{{"core.https_address", lxd_address(ip)}});
    api.send("PUT", "/1.0/cluster",
             Json{{"server_name", name},
                  {"enabled", true},
                  {"server_address", lxd_address(ip)},
                  {"cluster_address", fields["addresses"][0]},
                  {"cluster_certificate", token.value("certificate", "")},
                  // LXD 5.0 takes the token as the join password; later LXD reads cluster_token.
                  {"cluster_password", text},
                  {"cluster_token", text},
                  {"member_config", member_config}});
    api.wait_ready(ready_limit);
}

Json leave_cluster(const LxdApi& api, const std::string& name, const PriorAddresses& prior) {
    bool left = false;
    if (environment(api).value("server_clustered", false)) {
        Json members = Json::array();
        for (const Json& url : api.get("/1.0/cluster/members")) members.push_back(last_segment(url.get<std::string>()));
        if (members.size() > 1)
            api.send("DELETE", "/1.0/cluster/members/" + name);
        else
            api.send("PUT", "/1.0/cluster", Json{{"enabled", false}});
        wait_standalone(api);
        left = true;
    }
    if (!prior.config.empty()) restore_addresses(api, prior);
    return Json{{"left", left}};
}

Json drop_silent_members(const LxdApi& api, const std::string& self, const Json& candidates) {
    Json dropped = Json::array();
    if (!candidates.is_array() || !environment(api).value("server_clustered", false)) return dropped;
    for (const Json& url : api.get("/1.0/cluster/members")) {
        const std::string name = last_segment(url.get<std::string>());
        if (name == self || std::find(candidates.begin(), candidates.end(), Json(name)) == candidates.end()) continue;
        try {
            // Forwarded to `name` by this LXD: any answer means it still runs.
            environment(api, "?target=" + name);
            continue;
        } catch (const Error& e) {
            // Only this LXD's word that it could not reach `name` counts (a server error); a
            // failure of this LXD itself, or any other answer, removes nobody.
            if (e.code() != "lxd_error" || e.details().value("error_code", 0) < 500) throw;
        }
        api.send("DELETE", "/1.0/cluster/members/" + name + "?force=1");
        dropped.push_back(name);
    }
    return dropped;
}

Json remove_cluster_member(const LxdApi& api, const std::string& name, bool force) {
    if (!environment(api).value("server_clustered", false))
        return Json{{"removed", false}, {"detail", "LXD on this member is not clustered"}};
    if (!api.exists("/1.0/cluster/members/" + name))
        return Json{{"removed", false}, {"detail", "LXD's cluster has no member " + name}};
    api.send("DELETE", "/1.0/cluster/members/" + name + (force ? "?force=1" : ""));
    return Json{{"removed", true}, {"detail", "removed from LXD's cluster" + std::string(force ? " (forced)" : "")}};
}

}  // namespace microcloud::plugins::lxd
