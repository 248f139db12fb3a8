// microcloud/sdk/plan.hpp - the plan that validate, join and configure receive, typed, so a plugin
// reads members, joiners, its preseed section, the chosen disks, what other plugins published and
// its join token without digging in JSON. Header-only; needs nothing but plugin.hpp.
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace microcloud::sdk {

/// One member's disks as the host chose them from the preseed or the interactive answers.
/// Header helper since MicroCloud 0.2.
struct PlanDisks {
    /// The disk for the member's local storage pool ("path", "wipe", ...), or null when none.
    Json local;
    /// The disks for distributed storage (each "path", "wipe", "encrypt", ...).
    std::vector<Json> ceph;
};

/// The cluster plan in a validate, join or configure hook's input. Keys the host did not send are
/// empty. Header helper since MicroCloud 0.2 (the keys themselves are sent since ABI 1.0).
struct Plan {
    /// Every member of the cloud once the run ends; the first one leads (it bootstraps and
    /// issues tokens). Input key "members".
    std::vector<std::string> members;
    /// Member name to its IP address. Input key "addresses".
    std::map<std::string, std::string> addresses;
    /// The members joining this plugin's cluster in this run. Input key "joining".
    std::vector<std::string> joining;
    /// True when the component is bootstrapped in this run (a new cloud, or `service add`); in a
    /// join hook, true on the member that bootstraps. Input key "bootstrap".
    bool bootstrap = false;
    /// The plugin's own preseed section (its manifest's config_section), or {}. Input key "config".
    Json config = Json::object();
    /// The whole preseed document (or the interactive answers as one). Input key "preseed".
    Json preseed = Json::object();
    /// validate and configure: this plugin's discovery report of every member (member to report,
    /// or {"error": ...} where discovery failed there). Input key "discovery".
    Json discovery = Json::object();
    /// join and configure: what the plugins ordered before this one published (plugin name to its
    /// join answer; "NAME.configure" to its configure answer). Input key "published".
    Json published = Json::object();
    /// join on a member that is not bootstrapping: the token the leader's issue_token returned
    /// (absent for plugins without issue_token). Input key "token".
    std::optional<Json> token;

    /// The member that leads the run ("" when there are no members).
    std::string leader() const { return members.empty() ? std::string() : members.front(); }
    /// Whether `member` joins in this run.
    bool joins(const std::string& member) const {
        for (const auto& name : joining)
            if (name == member) return true;
        return false;
    }
    /// What `plugin` published (its join answer), or null.
    Json published_by(const std::string& plugin) const {
        const auto it = published.find(plugin);
        return it != published.end() ? *it : Json();
    }
    /// The disks chosen for `member` (input key "disks", member to {"local", "ceph"}).
    PlanDisks disks_of(const std::string& member) const {
        PlanDisks out;
        const auto it = disks_.find(member);
        if (it == disks_.end() || !it->is_object()) return out;
        if (const auto local = it->find("local"); local != it->end()) out.local = *local;
        if (const auto ceph = it->find("ceph"); ceph != it->end() && ceph->is_array())
            for (const auto& disk : *ceph) out.ceph.push_back(disk);
        return out;
    }

    /// Reads the plan from a hook's input.
    static Plan from(const Json& input) {
        Plan plan;
        if (!input.is_object()) return plan;
        const auto texts = [&input](const char* key) {
            std::vector<std::string> out;
            const auto it = input.find(key);
            if (it != input.end() && it->is_array())
                for (const auto& item : *it)
                    if (item.is_string()) out.push_back(item.get<std::string>());
            return out;
        };
        const auto object = [&input](const char* key) {
            const auto it = input.find(key);
            return it != input.end() && it->is_object() ? *it : Json::object();
        };
        plan.members = texts("members");
        plan.joining = texts("joining");
        const Json addresses = object("addresses");  // named: items() refers to it
        for (const auto& [name, address] : addresses.items())
            if (address.is_string()) plan.addresses[name] = address.get<std::string>();
        if (const auto it = input.find("bootstrap"); it != input.end() && it->is_boolean())
            plan.bootstrap = it->get<bool>();
        plan.config = object("config");
        plan.preseed = object("preseed");
        plan.discovery = object("discovery");
        plan.published = object("published");
        plan.disks_ = object("disks");
        if (const auto it = input.find("token"); it != input.end() && !it->is_null()) plan.token = *it;
        return plan;
    }

private:
    Json disks_ = Json::object();
};

/// The plan of the hook `ctx` runs. Header helper since MicroCloud 0.2.
inline Plan plan_of(const Context& ctx) {
    return Plan::from(ctx.input());
}

}  // namespace microcloud::sdk
