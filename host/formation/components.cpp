// host/formation/components.cpp - discover, validate, join in waves, configure; teardown on failure.
#include "formation/components.hpp"

#include "common/error.hpp"
#include "formation/component_order.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <future>
#include <map>
#include <mutex>
#include <optional>

namespace microcloud::host::formation {
namespace {

struct Joined {
    std::string plugin;
    std::string member;
    bool clustered_before = false;  // the join's answer said the member was in before this run
};

// A hook's failure, carrying where it happened.
struct HookFailure {
    std::string member, plugin, step, code, message;

    // The error a run reports for it: member, plugin and step named.
    Error error() const {
        return Error("component_failed",
                     "Plugin " + plugin + " failed on member " + member + " at step \"" + step + "\": " + message,
                     {{"member", member}, {"plugin", plugin}, {"step", step}, {"cause_code", code}});
    }
};

// The code of the HookFailure that stands for a cancelled run.
constexpr std::string_view kCancelled = "cancelled";

// A hook that is not written (not_implemented) or not offered (unsupported): the plugin takes no part.
bool takes_no_part(const std::string& code) {
    return code == "not_implemented" || code == "unsupported";
}

// The plugins in the order their manifests' `after` gives, independent ones in one wave.
std::vector<std::vector<std::string>> waves_of(const std::vector<ComponentPlugin>& plugins) {
    std::map<std::string, std::vector<std::string>> after;
    for (const auto& plugin : plugins) after[plugin.name] = plugin.after;
    return plan_waves(after);
}

// Waits for every task (none is left running), then rethrows the first HookFailure among them.
void finish_all(std::vector<std::future<void>>& tasks) {
    std::optional<HookFailure> first;
    for (auto& task : tasks) {
        try {
            task.get();
        } catch (const HookFailure& failure) {
            if (!first) first = failure;
        }
    }
    if (first) throw *first;
}

class Orchestrator {
public:
    explicit Orchestrator(const ComponentRun& run) : run_(run) {}

    // Discovery and validation; fills the report's waves. Changes nothing.
    std::vector<std::vector<std::string>> check(std::vector<ComponentPlugin>& taking_part) {
        reports_ = discover();
        taking_part = validate();
        const auto waves = waves_of(taking_part);
        report_["waves"] = waves;
        for (const auto& plugin : taking_part) report_["plugins"][plugin.name]["state"] = "ready";
        return waves;
    }

    nlohmann::json remove(const std::string& name, bool force) {
        const auto waves = waves_of(run_.plugins);
        nlohmann::json input = {{"mode", "remove"},
                                {"remove", name},
                                {"force", force},
                                {"members", run_.members},
                                {"addresses", run_.addresses}};
        for (auto wave = waves.rbegin(); wave != waves.rend(); ++wave)
            for (const auto& plugin : *wave) {
                input["config"] = config_of(this->plugin(plugin));
                leave(plugin, name, force, input);
                const nlohmann::json answer = ask(leader(), plugin, "teardown", input);
                if (answer.value("ok", false)) {
                    report_["plugins"][plugin] = {{"state", "removed"},
                                                  {"result", answer.value("result", nlohmann::json())}};
                    say("Plugin " + plugin + " removed " + name);
                    continue;
                }
                const nlohmann::json error = answer.value("error", nlohmann::json::object());
                const std::string code = error.value("code", "");
                if (takes_no_part(code)) {
                    report_["plugins"][plugin] = {{"state", "skipped"}, {"reason", error.value("message", code)}};
                    continue;
                }
                if (!force)
                    throw HookFailure{leader(), plugin, "remove " + name, code, error.value("message", "")}.error();
                report_["plugins"][plugin] = {{"state", "failed"}, {"error", error}};
                say("Plugin " + plugin + " could not remove " + name +
                    " (going on, --force): " + error.value("message", ""));
            }
        return report_;
    }

    // The member being removed leaves `plugin`'s cluster by itself where it can (mode "leave").
    void leave(const std::string& plugin, const std::string& name, bool force, nlohmann::json input) {
        if (name == leader()) return;
        input["mode"] = "leave";
        const nlohmann::json answer = ask(name, plugin, "teardown", input);
        if (answer.value("ok", false)) {
            say("Plugin " + plugin + " on " + name + " left its cluster");
            return;
        }
        const nlohmann::json error = answer.value("error", nlohmann::json::object());
        const std::string code = error.value("code", "");
        if (takes_no_part(code)) return;
        if (code == "unreachable") {
            say("Plugin " + plugin + ": " + name + " cannot be reached, so it does not leave by itself");
            return;
        }
        if (!force) throw HookFailure{name, plugin, "leave", code, error.value("message", "")}.error();
        say("Plugin " + plugin + " on " + name + " could not leave (going on, --force): " + error.value("message", ""));
    }

    nlohmann::json dry_run() {
        std::vector<ComponentPlugin> taking_part;
        check(taking_part);
        return report_;
    }

    nlohmann::json go() {
        std::vector<ComponentPlugin> taking_part;
        const auto waves = check(taking_part);
        try {
            for (const auto& wave : waves) run_wave(wave);
            for (const auto& wave : waves)
                for (const auto& name : wave) configure(name);
        } catch (const HookFailure& failure) {
            rollback();
            if (failure.code == kCancelled)
                throw Error("cancelled",
                            "The run was cancelled from the command line before " + failure.plugin + "'s step \"" +
                                failure.step + "\" on " + failure.member + "; what it had changed was rolled back",
                            {{"member", failure.member}, {"plugin", failure.plugin}, {"step", failure.step}});
            throw failure.error();
        }
        for (const auto& plugin : taking_part) report_["plugins"][plugin.name]["state"] = "formed";
        return report_;
    }

private:
    void say(const std::string& line) {
        if (run_.progress) run_.progress(line);
    }

    const std::string& leader() const { return run_.members.front(); }

    // Stops the run before `step` when it was cancelled (go() rolls back).
    void stop_if_cancelled(const std::string& member, const std::string& plugin, const std::string& step) const {
        if (run_.cancelled && run_.cancelled())
            throw HookFailure{member, plugin, step, std::string(kCancelled), "the run was cancelled"};
    }

    nlohmann::json config_of(const ComponentPlugin& plugin) const {
        if (plugin.config_section.empty() || !run_.config.contains(plugin.config_section))
            return nlohmann::json::object();
        return run_.config.at(plugin.config_section);
    }

    // Whether `plugin` is bootstrapped in this run, and who joins it: the run's own, or for
    // service add every member but the first for an added plugin and no one for the others.
    bool bootstraps(const std::string& plugin) const {
        return run_.adding.empty() ? run_.bootstrap : run_.adding.contains(plugin);
    }
    std::vector<std::string> joining_of(const std::string& plugin) const {
        if (run_.adding.empty()) return run_.joining;
        if (!run_.adding.contains(plugin)) return {};
        return {run_.members.begin() + 1, run_.members.end()};
    }

    nlohmann::json plan_for(const ComponentPlugin& plugin) const {
        return {{"members", run_.members},
                {"addresses", run_.addresses},
                {"joining", joining_of(plugin.name)},
                {"bootstrap", bootstraps(plugin.name)},
                {"config", config_of(plugin)},
                {"preseed", run_.config},
                {"disks", run_.disks}};
    }

    // `plugin`'s discovery report of every member (member -> report), from check().
    nlohmann::json discovery_of(const std::string& plugin) const {
        const auto found = reports_.find(plugin);
        return found != reports_.end() ? found->second : nlohmann::json::object();
    }

    // A hook's answer; a member that cannot be reached answers {"ok": false, code "unreachable"}.
    nlohmann::json ask(const std::string& member, const std::string& plugin, const std::string& hook,
                       const nlohmann::json& input) const {
        try {
            return run_.call(member, plugin, hook, input);
        } catch (const std::exception& error) {
            return {{"ok", false}, {"error", {{"code", "unreachable"}, {"message", error.what()}}}};
        }
    }

    // Calls a hook; returns the result or throws HookFailure.
    nlohmann::json call(const std::string& member, const std::string& plugin, const std::string& step,
                        const std::string& hook, const nlohmann::json& input) {
        const nlohmann::json answer = ask(member, plugin, hook, input);
        if (answer.value("ok", false)) return answer.value("result", nlohmann::json());
        const nlohmann::json error = answer.value("error", nlohmann::json::object());
        throw HookFailure{member, plugin, step, error.value("code", "plugin_error"), error.value("message", "")};
    }

    // Every member's discovery report for every plugin: plugin -> member -> report.
    std::map<std::string, nlohmann::json> discover() {
        say("Collecting every member's discovery reports");
        std::map<std::string, nlohmann::json> reports;
        std::vector<std::future<std::pair<std::string, nlohmann::json>>> asked;
        for (const auto& member : run_.members)
            asked.push_back(std::async(std::launch::async, [this, member] {
                // The member's plugins discover side by side.
                std::vector<std::pair<std::string, std::future<nlohmann::json>>> plugins;
                for (const auto& plugin : run_.plugins)
                    plugins.emplace_back(plugin.name,
                                         std::async(std::launch::async, [this, member, name = plugin.name] {
                                             return ask(member, name, "discover", nlohmann::json::object());
                                         }));
                // A plugin reads the member's report, or {"error": ...} when discovery failed there.
                nlohmann::json all = nlohmann::json::object();
                for (auto& [name, report] : plugins) {
                    const nlohmann::json answer = report.get();
                    all[name] = answer.value("ok", false)
                                    ? answer.value("result", nlohmann::json::object())
                                    : nlohmann::json{{"error", answer.value("error", nlohmann::json::object())}};
                }
                return std::pair{member, all};
            }));
        for (auto& answer : asked) {
            auto [member, all] = answer.get();
            for (const auto& [plugin, report] : all.items()) reports[plugin][member] = report;
        }
        return reports;
    }

    // The plugin that took `capability` among those taking part, or "".
    static std::string provider_of(const std::vector<ComponentPlugin>& taking_part, const std::string& capability) {
        for (const auto& p : taking_part)
            if (std::find(p.provides.begin(), p.provides.end(), capability) != p.provides.end()) return p.name;
        return "";
    }

    // In wave order, so that of two providers of one capability the earlier one is asked first.
    std::vector<ComponentPlugin> validate() {
        std::vector<ComponentPlugin> taking_part;
        for (const auto& wave : waves_of(run_.plugins))
            for (const auto& name : wave)
                if (concerned(name)) validate_one(plugin(name), taking_part);
        return taking_part;
    }

    // Whether `name` takes part in this run: always in a formation; in a service add when it is
    // added or ordered after one that is (directly or through others).
    bool concerned(const std::string& name) const {
        if (run_.adding.empty() || run_.adding.contains(name)) return true;
        for (const auto& before : plugin(name).after)
            if (before != name && std::any_of(run_.plugins.begin(), run_.plugins.end(),
                                              [&](const ComponentPlugin& p) { return p.name == before; }) &&
                concerned(before))
                return true;
        return false;
    }

    void validate_one(const ComponentPlugin& plugin, std::vector<ComponentPlugin>& taking_part) {
        for (const auto& capability : plugin.provides)
            if (const std::string other = provider_of(taking_part, capability); !other.empty()) {
                const std::string reason = capability + " is provided by " + other;
                report_["plugins"][plugin.name] = {{"state", "skipped"}, {"reason", reason}};
                say("Plugin " + plugin.name + " takes no part: " + reason);
                return;
            }
        {
            nlohmann::json input = plan_for(plugin);
            input["discovery"] = discovery_of(plugin.name);
            const nlohmann::json answer = ask(leader(), plugin.name, "validate", input);
            if (!answer.value("ok", false)) {
                const nlohmann::json error = answer.value("error", nlohmann::json::object());
                const std::string code = error.value("code", "");
                if (takes_no_part(code)) {
                    report_["plugins"][plugin.name] = {{"state", "skipped"}, {"reason", error.value("message", code)}};
                    say("Plugin " + plugin.name + " takes no part: " + error.value("message", code));
                    return;
                }
                throw HookFailure{leader(), plugin.name, "validate", code, error.value("message", "")}.error();
            }
            for (const auto& problem : answer.value("result", nlohmann::json::array())) {
                if (problem.value("severity", "error") != "error") {
                    say("Plugin " + plugin.name + " warns: " + problem.value("message", ""));
                    continue;
                }
                throw Error("invalid_plan",
                            plugin.name + ": " + problem.value("message", "") +
                                (problem.contains("field") ? " (field " + problem.value("field", "") + ")" : ""),
                            {{"plugin", plugin.name}, {"field", problem.value("field", "")}});
            }
            say("Plugin " + plugin.name + " validated the plan");
            taking_part.push_back(plugin);
        }
    }

    const ComponentPlugin& plugin(const std::string& name) const {
        for (const auto& p : run_.plugins)
            if (p.name == name) return p;
        throw Error("internal_error", "unknown plugin " + name);
    }

    // `result`: the join's answer; "clustered_before": true keeps the member out of run_members.
    void record(const std::string& plugin, const std::string& member, const nlohmann::json& result) {
        const std::lock_guard lock(mutex_);
        joined_.push_back({plugin, member, result.is_object() && result.value("clustered_before", false)});
        report_["plugins"][plugin]["joined"].push_back(member);
    }

    // One plugin: bootstrap on the leader, then tokens and joins for the joining members in parallel.
    void form(const std::string& name) {
        const ComponentPlugin& p = plugin(name);
        nlohmann::json input = plan_for(p);
        {
            const std::lock_guard lock(mutex_);
            input["published"] = published_;
        }
        if (bootstraps(name)) {
            stop_if_cancelled(leader(), name, "bootstrap");
            say("Bootstrapping " + name + " on " + leader());
            nlohmann::json bootstrap = input;
            bootstrap["bootstrap"] = true;
            if (run_.join_starts) run_.join_starts(name, leader());
            const nlohmann::json result = call(leader(), name, "bootstrap", "join", bootstrap);
            record(name, leader(), result);
            const std::lock_guard lock(mutex_);
            published_[name] = result;
        }
        // The tighter of the operator's limit and the component's own (0: none).
        const unsigned limit = run_.join_concurrency == 0 || p.join_concurrency == 0
                                   ? std::max(run_.join_concurrency, p.join_concurrency)
                                   : std::min(run_.join_concurrency, p.join_concurrency);
        std::vector<std::future<void>> joins;
        for (const auto& member : joining_of(name)) {
            if (member == leader()) continue;
            if (limit != 0 && joins.size() == limit) {
                finish_all(joins);  // the configured number of joins at a time
                joins.clear();
            }
            joins.push_back(std::async(std::launch::async, [this, name, member, input] {
                stop_if_cancelled(member, name, "join");
                nlohmann::json join = input;
                join["bootstrap"] = false;
                const nlohmann::json token = ask(leader(), name, "issue_token", {{"name", member}});
                if (token.value("ok", false)) {
                    join["token"] = token.value("result", nlohmann::json());
                } else if (token["error"].value("code", "") != "unsupported") {
                    throw HookFailure{leader(), name, "issue a token for " + member, token["error"].value("code", ""),
                                      token["error"].value("message", "")};
                }
                say("Joining " + member + " to " + name);
                if (run_.join_starts) run_.join_starts(name, member);
                const nlohmann::json result = call(member, name, "join", "join", join);
                record(name, member, result);
                // Growing a cluster: the first join's answer is what the plugins after it read.
                const std::lock_guard lock(mutex_);
                if (!published_.contains(name)) published_[name] = result;
            }));
        }
        finish_all(joins);
    }

    void run_wave(const std::vector<std::string>& wave) {
        std::vector<std::future<void>> running;
        for (const auto& name : wave) running.push_back(std::async(std::launch::async, [this, name] { form(name); }));
        finish_all(running);
    }

    void configure(const std::string& name) {
        stop_if_cancelled(leader(), name, "configure");
        // In a service add, a plugin that joined no one is undone by its configure alone.
        if (!run_.adding.empty() && !run_.adding.contains(name)) configured_only_.push_back(name);
        nlohmann::json input = plan_for(plugin(name));
        input["published"] = published_;
        input["discovery"] = discovery_of(name);
        const nlohmann::json answer = ask(leader(), name, "configure", input);
        if (answer.value("ok", false)) {
            published_[name + ".configure"] = answer.value("result", nlohmann::json());
            say("Plugin " + name + " configured the cluster");
            // What a plugin left out, and why (e.g. a pool the members' kernels cannot use).
            const nlohmann::json result = answer.value("result", nlohmann::json());
            if (result.is_object() && result.contains("notes") && result["notes"].is_array())
                for (const auto& note : result["notes"])
                    if (note.is_string()) say("Plugin " + name + " notes: " + note.get<std::string>());
            return;
        }
        const nlohmann::json error = answer.value("error", nlohmann::json::object());
        if (error.value("code", "") == "unsupported") return;  // an optional hook it does not have
        throw HookFailure{leader(), name, "configure", error.value("code", ""), error.value("message", "")};
    }

    // The members this run joined `plugin` on, in join order, leaving out those whose join said
    // they were in the component cluster before: a rollback on one of them may take the others
    // that no longer answer out of the component cluster while it still has a quorum.
    nlohmann::json run_members_of(const std::string& plugin) const {
        nlohmann::json members = nlohmann::json::array();
        for (const Joined& j : joined_)
            if (j.plugin == plugin && !j.clustered_before) members.push_back(j.member);
        return members;
    }

    void rollback() {
        // A service add: what the plugins after the added ones configured goes first (teardown
        // mode "undo_configure" on the leader; a plugin without it leaves its configuration).
        for (auto it = configured_only_.rbegin(); it != configured_only_.rend(); ++it) {
            say("Rolling back: " + *it + "'s configuration on " + leader());
            const nlohmann::json answer = ask(leader(), *it, "teardown", {{"mode", "undo_configure"}, {"force", true}});
            if (!answer.value("ok", false) &&
                !takes_no_part(answer.value("error", nlohmann::json::object()).value("code", "")))
                spdlog::warn("rollback: undoing the configuration of {} on {} failed: {}", *it, leader(), answer.dump());
        }
        for (auto it = joined_.rbegin(); it != joined_.rend(); ++it) {
            say("Rolling back: " + it->plugin + " on " + it->member);
            const nlohmann::json answer = ask(
                it->member, it->plugin, "teardown",
                {{"mode", "rollback"}, {"force", true}, {"run_members", run_members_of(it->plugin)}});
            if (!answer.value("ok", false))
                spdlog::warn("rollback: teardown of {} on {} failed: {}", it->plugin, it->member, answer.dump());
        }
    }

    const ComponentRun& run_;
    std::mutex mutex_;
    std::vector<Joined> joined_;
    std::vector<std::string> configured_only_;  // service add: plugins that configured without joining
    nlohmann::json published_ = nlohmann::json::object();
    std::map<std::string, nlohmann::json> reports_;  // plugin -> member -> discovery report
    nlohmann::json report_ = {{"plugins", nlohmann::json::object()}};
};

}  // namespace

nlohmann::json run_components(const ComponentRun& run) {
    if (run.members.empty()) throw Error("invalid_plan", "No members to form components on");
    return Orchestrator(run).go();
}

nlohmann::json remove_from_components(const ComponentRun& run, const std::string& name, bool force) {
    if (run.members.empty()) throw Error("invalid_plan", "No member to remove components from");
    return Orchestrator(run).remove(name, force);
}

nlohmann::json check_components(const ComponentRun& run) {
    if (run.members.empty()) throw Error("invalid_plan", "No members to check components on");
    return Orchestrator(run).dry_run();
}

}  // namespace microcloud::host::formation
