// host/formation/preseed_run.hpp - `microcloud preseed`: the same file on every machine; each one
// finds its part (initiator bootstrapping or adding, or joiner), and the run forms the cluster
// through a trust session, or, with dry_run, only checks and prints the plan.
#pragma once

#include "formation/components.hpp"
#include "membership/membership.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace microcloud::host::formation {

struct PreseedContext {
    membership::Membership& membership;
    nlohmann::json facts{};                         // this machine's system facts (interfaces with addresses)
    std::string name{};                             // this machine's member name
    std::string version{};                          // MicroCloud version
    std::map<std::string, std::string> services{};  // loaded plugins and their versions
    std::vector<ComponentPlugin> components{};      // the loaded plugins, for the component steps
    std::function<void(const std::string&)> progress{};
};

// The component step of a formation led by this member: every member (this one first), those
// joining now, whether components are bootstrapped, hooks reached through the membership.
ComponentRun component_run(const PreseedContext& context, const std::set<std::string>& joining, bool bootstrap,
                           const nlohmann::json& config, const std::function<void(const std::string&)>& progress);

// Returns {"role", "plan": {...}, "steps": [...], "members": [...] (after a real run)}. A failed
// run rolls back what it changed on this machine (members it admitted are removed, a cluster it
// bootstrapped is forgotten) and throws an Error naming the member and step.
nlohmann::json run_preseed(const std::string& yaml_text, bool dry_run, const PreseedContext& context);

}  // namespace microcloud::host::formation
