// host/formation/session_control.cpp - starting, watching, selecting and stopping the interactive
// session, and running a joiner's session.
#include "formation/session_control.hpp"

#include "common/error.hpp"
#include "common/version.hpp"
#include "discovery/interface_choice.hpp"
#include "formation/joiner.hpp"
#include "formation/preseed.hpp"
#include "formation/preseed_disks.hpp"
#include "formation/preseed_run.hpp"
#include "membership/member_file.hpp"
#include "trust/passphrase.hpp"

#include <spdlog/spdlog.h>

#include <utility>

namespace microcloud::host::formation {
namespace {

// The interface holding `ip` (an IPv4 address), for announcing or looking up on it.
discovery::ChosenInterface interface_holding(const nlohmann::json& facts, const std::string& ip) {
    return discovery::interface_for_subnet(facts.value("interfaces", nlohmann::json::array()), ip + "/32");
}

std::string host_of(const std::string& address) {
    if (!address.empty() && address.front() == '[') return address.substr(1, address.find(']') - 1);
    return address.substr(0, address.rfind(':'));
}

// The address on the interface of the default route: the joiner's default when none is given.
std::string default_ipv4(const nlohmann::json& facts) {
    const std::string dev = facts.value("default_route", nlohmann::json::object()).value("interface", "");
    for (const auto& interface : facts.value("interfaces", nlohmann::json::array())) {
        if (!dev.empty() && interface.value("name", "") != dev) continue;
        for (const auto& address : interface.value("addresses", nlohmann::json::array()))
            if (address.value("family", "") == "inet" && address.value("scope", "global") != "host")
                return address.value("address", "");
    }
    throw Error("invalid_address", "No IPv4 address found on the default route's interface; give --address",
                {{"field", "address"}});
}

}  // namespace

SessionControl::SessionControl(membership::Membership& membership, std::string name,
                               std::map<std::string, std::string> services, std::vector<ComponentPlugin> components,
                               std::function<nlohmann::json()> facts, unsigned join_concurrency)
    : membership_(membership),
      name_(std::move(name)),
      services_(std::move(services)),
      components_(std::move(components)),
      facts_(std::move(facts)),
      join_concurrency_(join_concurrency) {}

SessionControl::~SessionControl() {
    const std::lock_guard lock(mutex_);
    if (session_) {
        membership_.set_session_handler({});
        session_->stop("Initiator aborted the setup");
    }
}

void SessionControl::retire_if_gave_up() {
    if (!session_) return;
    std::string reason = session_->gave_up();
    if (reason.empty()) return;
    membership_.set_session_handler({});  // joiners now hear "There is no active session"
    spdlog::warn("the trust session of {} stopped by itself: {}", name_, reason);
    gave_up_ = GaveUp{std::move(session_), std::move(reason), std::exchange(bootstrapped_, false)};
    session_.reset();
}

void SessionControl::throw_if_gave_up() const {
    if (!gave_up_) return;
    throw Error("session_stopped", "The session stopped: " + gave_up_->reason,
                {{"reason", gave_up_->reason}, {"admitted", gave_up_->session->admitted()}});
}

nlohmann::json SessionControl::start(const SessionStart& start) {
    const std::lock_guard lock(mutex_);
    retire_if_gave_up();
    if (session_) throw Error("session_exists", "There already is an active session");
    if (gave_up_) {
        spdlog::info("a new trust session on {} replaces the one that stopped by itself ({})", name_, gave_up_->reason);
        gave_up_.reset();
    }
    if (start.bootstrap) {
        membership_.bootstrap(start.address);
        bootstrapped_ = true;
    } else if (!membership_.clustered()) {
        throw Error("not_clustered", "MicroCloud isn't yet initialized: run \"microcloud init\" first");
    }
    try {
        const std::string address = membership_.local()->address;
        // A passphrase typed at the prompt follows the four-word rule; a generated one already does.
        const std::string passphrase =
            start.passphrase.empty() ? trust::generate_passphrase() : trust::normalize_passphrase(start.passphrase);
        const discovery::ChosenInterface on = interface_holding(facts_(), host_of(address));
        SessionOptions options{.passphrase = passphrase,
                               .fingerprint = membership_.cluster_fingerprint(),
                               .name = name_,
                               .address = address,
                               .expected = {},
                               .services = services_,
                               .admit =
                                   [this](const JoinIntent& intent) {
                                       return membership_.issue_token(intent.name).at("token").get<std::string>();
                                   },
                               .announce_on = on,
                               .manual_selection = true};
        auto session = std::make_shared<InitiatorSession>(std::move(options));
        membership_.set_session_handler(
            [session](const transport::PeerRequest& request) { return session->handle(request); });
        session_ = session;
        return {{"passphrase", passphrase},
                {"fingerprint", membership_.cluster_fingerprint().substr(0, 12)},
                {"address", address},
                {"interface", on.endpoint.interface}};
    } catch (...) {
        if (bootstrapped_) membership_.abandon();
        bootstrapped_ = false;
        throw;
    }
}

nlohmann::json SessionControl::status() {
    const std::lock_guard lock(mutex_);
    retire_if_gave_up();
    throw_if_gave_up();
    nlohmann::json pending = nlohmann::json::array();
    nlohmann::json admitted = nlohmann::json::array();
    if (session_) {
        for (const PendingJoiner& joiner : session_->pending())
            pending.push_back(
                {{"name", joiner.name}, {"address", joiner.address}, {"fingerprint", joiner.fingerprint}});
        for (const auto& name : session_->admitted()) admitted.push_back(name);
    }
    return {{"active", session_ != nullptr}, {"pending", pending}, {"admitted", admitted}};
}

nlohmann::json SessionControl::select(const std::set<std::string>& names) {
    const std::lock_guard lock(mutex_);
    retire_if_gave_up();
    throw_if_gave_up();
    if (!session_) throw Error("session_not_found", "There is no active session");
    const std::set<std::string> chosen = session_->select(names);
    return {{"admitted", chosen}};
}

nlohmann::json SessionControl::stop(const std::string& reason, bool abort,
                                    const std::function<void(const std::string&)>& progress,
                                    const nlohmann::json& setup) {
    const std::lock_guard lock(mutex_);
    retire_if_gave_up();
    std::shared_ptr<InitiatorSession> session;
    bool bootstrapped = false;
    if (session_) {
        membership_.set_session_handler({});
        session_->stop(reason.empty() ? "Initiator aborted the setup" : reason);
        session = std::exchange(session_, nullptr);
        bootstrapped = std::exchange(bootstrapped_, false);
    } else if (gave_up_) {
        session = gave_up_->session;
        bootstrapped = gave_up_->bootstrapped;
        gave_up_.reset();
    } else {
        return {{"stopped", false}};
    }
    const std::set<std::string> admitted = session->admitted();
    if (abort) {
        // What this session changed goes: the systems it admitted, and an init's cluster.
        if (!admitted.empty())
            undo_admissions(membership_, admitted, bootstrapped);
        else if (bootstrapped)
            membership_.abandon();
        return {{"stopped", true}, {"admitted", admitted}};
    }
    nlohmann::json steps = nlohmann::json::array();
    try {
        const PreseedContext context{.membership = membership_,
                                     .facts = facts_(),
                                     .name = name_,
                                     .version = kVersion,
                                     .services = services_,
                                     .components = components_,
                                     .join_concurrency = join_concurrency_,
                                     .progress = {}};
        const auto say = [&](const std::string& line) {
            steps.push_back(line);
            if (progress) progress(line);
        };
        ComponentRun run = component_run(context, admitted, bootstrapped, nlohmann::json::object(), say);
        if (setup.is_object()) {
            std::set<std::string> plugin_sections;
            for (const auto& plugin : components_)
                if (!plugin.config_section.empty()) plugin_sections.insert(plugin.config_section);
            const Preseed answers = parse_preseed(setup.dump(), plugin_sections);
            std::vector<std::string> taking_part(admitted.begin(), admitted.end());
            if (bootstrapped) taking_part.insert(taking_part.begin(), name_);
            run.config = answers.document;
            run.disks = choose_disks(
                answers, taking_part, bootstrapped,
                [this](const std::string& member) { return membership_.member_facts(member); }, say);
        }
        const nlohmann::json components = run_components(run);
        return {{"stopped", true}, {"admitted", admitted}, {"components", components}, {"steps", steps}};
    } catch (const Error& error) {
        spdlog::warn("forming the components failed: {}; removing the systems of this session", error.what());
        undo_admissions(membership_, admitted, bootstrapped);
        throw;
    }
}

nlohmann::json SessionControl::join(const nlohmann::json& request,
                                    const std::function<void(const std::string&)>& progress,
                                    const std::function<bool()>& cancelled) {
    const nlohmann::json facts = facts_();
    const std::string own_ip = request.value("address", "").empty()
                                   ? default_ipv4(facts)
                                   : host_of(membership::normalise_member_address(request.value("address", ""), 9443));
    nlohmann::json steps = nlohmann::json::array();
    JoinerOptions options{
        .name = name_,
        .initiator_name = {},
        .initiator_address = request.value("initiator_address", ""),
        .on = interface_holding(facts, own_ip),
        .own_address = membership::normalise_member_address(
            request.value("address", "").empty() ? own_ip : request.value("address", ""), transport::kDefaultPeerPort),
        .passphrase = trust::normalize_passphrase(request.value("passphrase", "")),  // typed at the prompt
        .version = kVersion,
        .services = services_,
        .lookup_timeout = std::chrono::seconds(request.value("lookup_timeout", 60)),
        .session_timeout = std::chrono::seconds(request.value("session_timeout", 600)),
        .progress = [&](const std::string& line) {
            steps.push_back(line);
            if (progress) progress(line);
        },
        .cancelled = cancelled};
    nlohmann::json joined = join_through_session(membership_, options);
    joined["steps"] = steps;
    return joined;
}

}  // namespace microcloud::host::formation
