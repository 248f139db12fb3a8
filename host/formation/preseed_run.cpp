// host/formation/preseed_run.cpp - the preseed run: plan, then bootstrap/session/wait on the
// initiator, or discovery/session/join on a joiner, with rollback on failure.
#include "formation/preseed_run.hpp"

#include "formation/formation_journal.hpp"

#include "common/backoff.hpp"
#include "common/error.hpp"
#include "discovery/interface_choice.hpp"
#include "formation/initiator_session.hpp"
#include "formation/joiner.hpp"
#include "formation/preseed.hpp"
#include "formation/preseed_disks.hpp"
#include "membership/member_file.hpp"
#include "transport/net_util.hpp"
#include "trust/passphrase.hpp"

#include <spdlog/spdlog.h>

#include <thread>

namespace microcloud::host::formation {
namespace {

// How the initiator waits for its joiners to answer and for the roles to settle: again after 20 ms,
// then doubling, at most every 200 ms.
constexpr std::chrono::milliseconds kFirstCheck{20};
constexpr std::chrono::milliseconds kLongestCheck{200};

std::vector<std::string> local_ipv4(const nlohmann::json& facts) {
    std::vector<std::string> out;
    for (const auto& found : discovery::ipv4_addresses(facts.value("interfaces", nlohmann::json::array())))
        out.push_back(found.address);
    return out;
}

const char* role_name(PreseedRole role) {
    switch (role) {
        case PreseedRole::initiator_bootstrap:
            return "initiator (bootstrap)";
        case PreseedRole::initiator_add:
            return "initiator (add)";
        case PreseedRole::joiner:
            return "joiner";
    }
    return "";
}

// The member's own TLS address: its systems[] address if the file gives one, else its address
// on the lookup subnet, else the initiator address when that is this machine.
std::string own_address(const Preseed& preseed, const PreseedContext& context,
                        const std::optional<discovery::ChosenInterface>& chosen) {
    for (const PreseedSystem& system : preseed.systems)
        if (system.name == context.name && !system.address.empty())
            return membership::normalise_member_address(system.address, transport::kDefaultPeerPort);
    if (chosen) return membership::normalise_member_address(chosen->endpoint.address, transport::kDefaultPeerPort);
    return membership::normalise_member_address(preseed.initiator_address, transport::kDefaultPeerPort);
}

}  // namespace

void undo_admissions(membership::Membership& membership, const std::set<std::string>& admitted, bool bootstrapped) {
    for (const auto& name : admitted) {
        if (bootstrapped) {
            membership.dismiss(name);  // the whole cluster goes: no need to change it first
            continue;
        }
        try {
            membership.remove(name, true);
        } catch (const std::exception& undo) {
            spdlog::warn("rollback: cannot remove {}: {}; telling it to forget the cluster", name, undo.what());
            membership.dismiss(name);
        }
    }
    if (bootstrapped && membership.clustered()) membership.abandon();
}

void forget_if_orphaned(const Preseed& preseed, const PreseedContext& context,
                        const std::function<void(const std::string&)>& say) {
    if (!context.membership.clustered() || preseed.initiator == context.name) return;
    const auto deadline = std::chrono::steady_clock::now() + preseed.lookup_timeout;
    for (;;) {
        const std::string standing = context.membership.check_standing();
        if (standing == "orphaned") {
            say("This member was left behind by a formation that rolled back: forgetting that cluster");
            context.membership.abandon();
            return;
        }
        if (standing == "not_clustered") return;  // a removal notice took it out meanwhile
        if (standing != "unknown" || std::chrono::steady_clock::now() >= deadline) {
            say("This member's cluster answers it as " + standing);
            return;
        }
        std::this_thread::sleep_for(std::chrono::seconds(1));
    }
}

ComponentRun component_run(const PreseedContext& context, const std::set<std::string>& joining, bool bootstrap,
                           const nlohmann::json& config, const std::function<void(const std::string&)>& progress,
                           std::function<bool()> cancelled) {
    ComponentRun run;
    run.members.push_back(context.name);
    const nlohmann::json members =
        context.membership.clustered() ? context.membership.listing(false) : nlohmann::json::array();
    for (const auto& member : members)
        if (member.value("name", "") != context.name) run.members.push_back(member.value("name", ""));
    run.joining.assign(joining.begin(), joining.end());
    run.bootstrap = bootstrap;
    run.join_concurrency = context.join_concurrency;
    // Addresses: the preseed's systems, then what the membership knows (it wins).
    for (const auto& system : config.value("systems", nlohmann::json::array()))
        if (system.is_object() && system.contains("address") && system["address"].is_string())
            run.addresses[system.value("name", "")] = system["address"].get<std::string>();
    for (const auto& member : members)
        run.addresses[member.value("name", "")] = transport::net::host_of(member.value("address", ""));
    run.plugins = context.components;
    run.config = config;
    run.call = [&membership = context.membership](const std::string& member, const std::string& plugin,
                                                  const std::string& hook, const nlohmann::json& input) {
        return membership.call_member_hook(member, plugin, hook, input);
    };
    run.progress = progress;
    run.cancelled = cancelled ? std::move(cancelled) : context.cancelled;
    return run;
}

namespace {

[[noreturn]] void failed(const std::string& member, const std::string& step, const Error& cause) {
    throw Error(cause.code(), "preseed failed on member " + member + " at step \"" + step + "\": " + cause.what(),
                {{"member", member}, {"step", step}, {"cause", cause.details()}});
}

}  // namespace

nlohmann::json run_preseed(const std::string& yaml_text, bool dry_run, const PreseedContext& context) {
    nlohmann::json steps = nlohmann::json::array();
    const auto started = std::chrono::steady_clock::now();
    const auto say = [&](const std::string& line) {
        const auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
        steps.push_back({{"ms", ms.count()}, {"step", line}});
        spdlog::info("preseed on {}: {}", context.name, line);
        if (context.progress) context.progress(line);
    };

    std::set<std::string> plugin_sections;
    for (const auto& plugin : context.components)
        if (!plugin.config_section.empty()) plugin_sections.insert(plugin.config_section);
    const Preseed preseed = parse_preseed(yaml_text, plugin_sections);
    if (!dry_run) forget_if_orphaned(preseed, context, say);
    LocalContext local{context.name, local_ipv4(context.facts), context.membership.clustered()};
    const PreseedRole role = validate_preseed(preseed, local);
    std::optional<discovery::ChosenInterface> chosen;
    if (!preseed.lookup_subnet.empty())
        chosen = discovery::interface_for_subnet(context.facts.value("interfaces", nlohmann::json::array()),
                                                 preseed.lookup_subnet);
    const std::string address = own_address(preseed, context, chosen);

    nlohmann::json plan{{"role", role_name(role)},
                        {"member", context.name},
                        {"address", address},
                        {"initiator", preseed.initiator.empty() ? preseed.initiator_address : preseed.initiator},
                        {"systems", nlohmann::json::array()},
                        {"components",
                         {{"ovn", preseed.document.value("ovn", nlohmann::json::object())},
                          {"ceph", preseed.document.value("ceph", nlohmann::json::object())},
                          {"storage", preseed.document.value("storage", nlohmann::json::object())}}},
                        {"storage", preseed.document.value("storage", nlohmann::json::object())}};
    if (chosen)
        plan["lookup"] = {{"interface", chosen->endpoint.interface},
                          {"address", chosen->endpoint.address},
                          {"subnet", chosen->subnet}};
    for (const PreseedSystem& system : preseed.systems) plan["systems"].push_back(system.name);
    if (dry_run) {
        // This machine's plugins check the plan with this machine's discovery (the others'
        // reports are only known once they joined).
        ComponentRun check = component_run(context, {}, role == PreseedRole::initiator_bootstrap, preseed.document, {});
        check.members = {context.name};
        for (const PreseedSystem& system : preseed.systems)
            if (system.name != context.name) check.joining.push_back(system.name);
        // This machine's disks alone, as it can see them (an initiator adding members is already
        // set up: no disk of its own is chosen in the run).
        plan["disks"] = nlohmann::json::object();
        if (role != PreseedRole::initiator_add) {
            const OwnDiskChoice own = choose_own_disks(preseed, context.name, context.facts);
            plan["disks"] = own.disks;
            if (!own.note.empty()) plan["disks_note"] = own.note;
        }
        check.disks = plan["disks"];
        plan["components"] = check_components(check);
        return {{"dry_run", true}, {"plan", plan}};
    }

    if (role == PreseedRole::joiner) {
        // With lookup_subnet the initiator is looked for there; with initiator_address (upstream's
        // unicast form) the joiner goes straight to that address.
        JoinerOptions options{.name = context.name,
                              .initiator_name = preseed.initiator,
                              .initiator_address = chosen ? std::string() : preseed.initiator_address,
                              .on = chosen.value_or(discovery::ChosenInterface{}),
                              .own_address = address,
                              .passphrase = preseed.session_passphrase,
                              .version = context.version,
                              .services = context.services,
                              .lookup_timeout = preseed.lookup_timeout,
                              .session_timeout = preseed.session_timeout,
                              .progress = say,
                              .cancelled = context.cancelled};
        try {
            nlohmann::json joined = join_through_session(context.membership, options);
            return {{"plan", plan}, {"steps", steps}, {"joined", joined}};
        } catch (const Error& error) {
            failed(context.name, steps.empty() ? "start" : steps.back().value("step", ""), error);
        }
    }

    // The initiator.
    std::set<std::string> expected;
    for (const PreseedSystem& system : preseed.systems)
        if (system.name != context.name) expected.insert(system.name);
    const bool bootstrap = role == PreseedRole::initiator_bootstrap;
    std::string step = bootstrap ? "bootstrap" : "start the session";
    std::set<std::string> admitted;
    nlohmann::json components;
    nlohmann::json disks = nlohmann::json::object();
    std::shared_ptr<InitiatorSession> session;
    // What this run changes, on disk until it ends: a daemon killed mid-run undoes it when it
    // starts again (formation_journal.hpp).
    FormationJournal journal(context.state_dir.empty() ? std::filesystem::path() : journal_path(context.state_dir),
                             bootstrap);
    // Stops the run at the next step once the CLI cancelled it; the catch below rolls back.
    const auto stop_if_cancelled = [&] {
        if (context.cancelled && context.cancelled())
            throw Error("cancelled", "The run was cancelled from the command line at step \"" + step +
                                         "\"; what it had changed was rolled back",
                        {{"step", step}});
    };
    try {
        if (bootstrap) {
            say("Bootstrapping the cluster on " + address);
            context.membership.bootstrap(address);
        }
        // A single system needs no session: none is opened, so nothing can join it (and a
        // preseed for one system may leave the passphrase out).
        if (!expected.empty()) {
            step = "start the session";
            SessionOptions options{
                .passphrase = preseed.session_passphrase,
                .fingerprint = context.membership.cluster_fingerprint(),
                .name = context.name,
                .address = context.membership.local()->address,
                .expected = expected,
                .services = context.services,
                .admit =
                    [&](const JoinIntent& intent) {
                        journal.admitted(intent.name);
                        return context.membership.issue_token(intent.name).at("token").get<std::string>();
                    },
                .announce_on = chosen};
            session = std::make_shared<InitiatorSession>(std::move(options));
            context.membership.set_session_handler(
                [session](const transport::PeerRequest& request) { return session->handle(request); });
            say("Waiting for " + std::to_string(expected.size()) + " system(s) to join (session timeout " +
                std::to_string(preseed.session_timeout.count()) + " s)");
            step = "wait for the systems to join";
            const auto deadline = std::chrono::steady_clock::now() + preseed.session_timeout;
            for (;;) {  // in slices, so that a cancel is seen within a quarter second
                const auto slice = std::min(deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(250));
                admitted = session->wait_for_all(slice);
                const bool everyone = std::includes(admitted.begin(), admitted.end(), expected.begin(), expected.end());
                // Back before the slice ended without everyone: the session was stopped.
                if (everyone || std::chrono::steady_clock::now() < slice || slice == deadline) break;
                stop_if_cancelled();
            }
            // Admitted joiners are still joining. Until every one has its row, the store alone is read:
            // asking every member whether it answers is a TLS request to each, and at 50 members
            // joining together that, five times a second, was a seventh of the daemons' CPU. A member
            // whose row is there answers a moment later (its listener starts after its join): asked
            // again soon, then less often.
            std::set<std::string> online;
            Backoff until_present(kFirstCheck, kLongestCheck);
            Backoff until_online(kFirstCheck, kLongestCheck);
            for (;;) {  // at least once, also when the deadline has passed
                stop_if_cancelled();
                online.clear();
                std::set<std::string> present;
                for (const auto& member : context.membership.listing(false)) present.insert(member.value("name", ""));
                const bool past = std::chrono::steady_clock::now() >= deadline;
                const bool all_present =
                    std::includes(present.begin(), present.end(), expected.begin(), expected.end());
                if (past || all_present)
                    for (const auto& member : context.membership.list())
                        if (member.value("status", "") == "ONLINE") online.insert(member.value("name", ""));
                if (std::includes(online.begin(), online.end(), expected.begin(), expected.end()) || past) break;
                (all_present ? until_online : until_present).sleep();
            }
            std::string missing;
            for (const auto& name : expected)
                if (!online.contains(name)) missing += (missing.empty() ? "" : ", ") + name;
            if (!missing.empty())
                throw Error("formation_timeout", "these systems did not join within the session timeout: " + missing,
                            {{"missing", missing}});
            context.membership.set_session_handler({});
            session.reset();
        }
        say("All " + std::to_string(expected.size() + 1) + " systems are members");
        step = "wait for the roles to settle";
        const std::size_t voters_wanted = std::min<std::size_t>(expected.size() + 1, 3);
        Backoff until_settled(kFirstCheck, kLongestCheck);
        for (const auto settle_until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
             std::chrono::steady_clock::now() < settle_until;) {
            stop_if_cancelled();
            std::size_t voters = 0;
            for (const auto& member : context.membership.listing(false))
                voters += member.value("role", "") == "voter" ? 1 : 0;
            if (voters >= voters_wanted) break;
            context.membership.wake_upkeep();  // when this member leads, the roles change now
            until_settled.sleep();
        }
        say("Roles settled: " + std::to_string(voters_wanted) + " voter(s)");
        step = "choose the disks";
        stop_if_cancelled();
        std::vector<std::string> taking_part(expected.begin(), expected.end());  // joining now, and
        if (bootstrap) taking_part.insert(taking_part.begin(), context.name);    // this one when new
        disks = choose_disks(
            preseed, taking_part, bootstrap,
            [&membership = context.membership](const std::string& member) { return membership.member_facts(member); },
            say);
        step = "form the components";
        stop_if_cancelled();
        ComponentRun run = component_run(context, expected, bootstrap, preseed.document, say);
        run.disks = disks;
        run.join_starts = [&journal](const std::string& plugin, const std::string& member) {
            journal.join_starts(plugin, member);
        };
        components = run_components(run);
        journal.finish();
    } catch (const Error& error) {
        context.membership.set_session_handler({});
        if (session) admitted = session->admitted();
        session.reset();
        spdlog::warn("preseed on {} failed at step \"{}\": {}; rolling back", context.name, step, error.what());
        undo_admissions(context.membership, admitted, bootstrap);
        journal.finish();
        failed(context.name, step, error);
    }
    return {{"plan", plan},
            {"steps", steps},
            {"disks", disks},
            {"components", components},
            {"members", context.membership.list()}};
}

}  // namespace microcloud::host::formation
