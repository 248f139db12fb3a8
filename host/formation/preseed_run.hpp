// host/formation/preseed_run.hpp - `microcloud preseed`: the same file on every machine; each one
// finds its part (initiator bootstrapping or adding, or joiner), and the run forms the cluster
// through a trust session, or, with dry_run, only checks and prints the plan.
#pragma once

#include "formation/components.hpp"
#include "formation/preseed.hpp"
#include "membership/membership.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
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
    unsigned join_concurrency = 0;                  // members joining a component at once (0: all)
    std::function<void(const std::string&)> progress{};
    std::function<bool()> cancelled{};              // true once the CLI cancelled the run (Ctrl-C)
    std::filesystem::path state_dir{};              // where the run's journal is kept (none when empty)
};

// The component step of a formation led by this member: every member (this one first), those
// joining now, whether components are bootstrapped, hooks reached through the membership.
// `cancelled` defaults to the context's.
ComponentRun component_run(const PreseedContext& context, const std::set<std::string>& joining, bool bootstrap,
                           const nlohmann::json& config, const std::function<void(const std::string&)>& progress,
                           std::function<bool()> cancelled = {});

// The undo of a formation's membership steps: the systems admitted are told to forget the
// cluster (a bootstrapped cluster is then forgotten here too) or, when the cluster existed
// before, removed from it.
void undo_admissions(membership::Membership& membership, const std::set<std::string>& admitted, bool bootstrapped);

// A member that believes it is clustered, about to take part in a formation as a joiner: when
// the members it knows answer as another cluster (or refuse it) and none accepts it, it was left
// behind by a formation that rolled back (it was down when told to forget): it forgets that
// cluster. Waits up to the preseed's lookup_timeout for an answer.
void forget_if_orphaned(const Preseed& preseed, const PreseedContext& context,
                        const std::function<void(const std::string&)>& say);

// Returns {"role", "plan": {...}, "steps": [...], "members": [...] (after a real run)}. Where the
// preseed names storage, the initiator reads the facts of the members taking part (the joiners, and
// itself when bootstrapping) once all are members, chooses their disks (preseed_disks.hpp), says
// each member's choice and hands it to the plugins (ComponentRun::disks; result "disks"); a dry run
// chooses for this machine alone (plan "disks", and "disks_note" for a find_min/find_max that only
// the whole run can judge). A failed run, a failed disk choice included, rolls back what it changed
// on this machine (members it admitted are removed, a cluster it bootstrapped is forgotten) and
// throws an Error naming the member and step.
nlohmann::json run_preseed(const std::string& yaml_text, bool dry_run, const PreseedContext& context);

}  // namespace microcloud::host::formation
