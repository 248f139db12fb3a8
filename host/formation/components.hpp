// host/formation/components.hpp - forming the component clusters once the members trust each
// other: every member's plugins discover, each plugin validates the plan on the initiator, then in
// wave order (component_order.hpp) the first member bootstraps each component, current members
// issue tokens and the new members join in parallel, and each plugin configures the cluster. A
// failure tears down, in reverse, every join this run made, and names the member, plugin and step.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace microcloud::host::formation {

struct ComponentPlugin {
    std::string name{};
    std::vector<std::string> after{};
    std::string config_section{};   // the preseed section handed to it ("" when none)
    unsigned join_concurrency = 0;  // the component's own limit of members joining at once (0: none)
    std::vector<std::string> provides{};  // capabilities; one plugin per capability takes part
};

// Calls `hook` of `plugin` on `member` and returns the HookResult JSON ({"ok": true, "result": ...}
// or {"ok": false, "error": {"code", "message", "details"}}). Throws only when the member cannot be
// reached.
using HookCall = std::function<nlohmann::json(const std::string& member, const std::string& plugin,
                                              const std::string& hook, const nlohmann::json& input)>;

struct ComponentRun {
    std::vector<std::string> members{};                // every member; the first one leads (the initiator)
    std::vector<std::string> joining{};                // the members that join in this run
    bool bootstrap = false;                            // the first member bootstraps each component
    std::map<std::string, std::string> addresses{};    // member name -> its IP address (hooks get it)
    unsigned join_concurrency = 0;                     // joins of one component at once (0: every one)
    std::vector<ComponentPlugin> plugins{};            // the plugins loaded on the initiator
    // `microcloud service add`: the plugins formed anew on every member in this run (bootstrapped
    // on the first, joined by all the others). When set, only these and the plugins ordered after
    // them (`after`, which configure with what the new ones published, e.g. LXD's remote pool) take
    // part; those others join no one. Empty: a formation (bootstrap and joining as above).
    std::set<std::string> adding{};
    nlohmann::json config = nlohmann::json::object();  // the preseed document
    // The disks chosen from the preseed (formation/disk_selection.hpp): member -> {"local",
    // "ceph", "passed_over"}; an empty object when the preseed names no storage.
    nlohmann::json disks = nlohmann::json::object();
    HookCall call{};
    std::function<void(const std::string&)> progress{};
    // True once the operation was cancelled (the CLI's Ctrl-C): no further step starts, and what
    // the run changed is rolled back (Error "cancelled").
    std::function<bool()> cancelled{};
    // Told just before a plugin's join (bootstrap included) starts on a member (the run's journal).
    std::function<void(const std::string& plugin, const std::string& member)> join_starts{};
};

// Every hook input built from the plan (validate, join, configure) holds "members", "addresses",
// "joining", "bootstrap", "config" (the plugin's preseed section), "preseed" and "disks" (run.disks).
// validate and configure also get "discovery": that plugin's report of every member (member ->
// report, or {"error"} where discovery failed), as collected at the start of the run.
// A plugin's join answer is published to the plugins ordered after it (their hook input
// "published"): the bootstrap's, or when growing a cluster the first joiner's.
// Returns {"plugins": {name: {"state": "formed"|"skipped", "reason"?, "joined": [members]}},
// "waves": [[names]]}. Plugins validate in wave order. A plugin whose validate answers
// not_implemented or unsupported takes no part (skipped, with the reason); so does one whose
// capability (`provides`, e.g. network-provider) a plugin validated before it already provides. Errors: Error("invalid_plan") for a problem a plugin found (naming plugin and field),
// Error("component_failed") for a failed hook (naming member, plugin and step, after the rollback).
nlohmann::json run_components(const ComponentRun& run);

// The checks alone, changing nothing (preseed --dry-run): every member in run.members discovers
// and each plugin validates. Returns {"plugins": {name: {"state": "ready"|"skipped", ...}},
// "waves": [...]}; throws as run_components for a problem.
nlohmann::json check_components(const ComponentRun& run);

// Removes member `name` from every component cluster before it leaves the membership: each plugin,
// in reverse wave order, first runs its teardown on `name` itself with {"mode": "leave"} (when
// `name` is not the first member; a member that cannot be reached is passed over), then on the
// first member of run.members with {"mode": "remove", "remove": name, "force": force}. A plugin without a teardown (not_implemented) is skipped. A
// failure stops the removal (Error "component_failed" naming member, plugin and step) unless
// `force`, which goes on and reports it. Returns {"plugins": {name: {"state", "result"|"error"}}}.
nlohmann::json remove_from_components(const ComponentRun& run, const std::string& name, bool force);

}  // namespace microcloud::host::formation
