// host/formation/session_control.hpp - the interactive trust session behind `microcloud init` and
// `microcloud add` (the CLI drives it over the control socket: start, watch, select, stop) and the
// joiner's side behind `microcloud join`.
#pragma once

#include "formation/components.hpp"
#include "formation/initiator_session.hpp"
#include "membership/membership.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace microcloud::host::formation {

struct SessionStart {
    bool bootstrap = false;    // init: bootstrap first, on `address`
    std::string address{};     // this member's address for init ("ip" or "ip:port")
    std::string passphrase{};  // empty: four random words
    std::chrono::seconds timeout{600};
};

class SessionControl {
public:
    SessionControl(membership::Membership& membership, std::string name, std::map<std::string, std::string> services,
                   std::vector<ComponentPlugin> components, std::function<nlohmann::json()> facts,
                   unsigned join_concurrency = 0);
    ~SessionControl();  // stops a running session

    // Starts a session (bootstrapping first for init). Returns {"passphrase", "fingerprint" (12 hex
    // digits), "address", "interface"}. Throws Error("session_exists", "There already is an active
    // session"), the bootstrap's errors, Error("already_clustered") for init on a clustered member,
    // Error("not_clustered") for add on one outside a cluster.
    nlohmann::json start(const SessionStart& start);
    // {"active", "pending": [{name, address, fingerprint}], "admitted": [names]}. A session that
    // stopped by itself (too many wrong passphrase proofs) is no longer active at once: a new one
    // may start, and joiners hear "There is no active session"; until its CLI stops it (or another
    // starts), status() and select() throw Error("session_stopped") saying why, so that CLI can tell.
    nlohmann::json status();
    // Admits the named waiting joiners; returns {"admitted": [...]}.
    nlohmann::json select(const std::set<std::string>& names);
    // Ends the session. Without `abort`, the admitted systems then join the components (see
    // components.hpp); if that fails they are removed again (and an init's cluster forgotten).
    // With `abort`, the systems it admitted are removed again, and an init's cluster forgotten.
    // Joiners still waiting get `reason`. A session that stopped by itself is ended the same way.
    // `setup`: the answers of the interactive questions as a preseed document (upstream's format:
    // systems[].storage, ovn_uplink_interface, ovn_underlay_ip, the ovn and ceph sections), which
    // chooses the disks and configures the components as a preseed file would; null: no storage or
    // network was asked for.
    nlohmann::json stop(const std::string& reason, bool abort,
                        const std::function<void(const std::string&)>& progress = {},
                        const nlohmann::json& setup = nullptr);

    // The joiner's side (`microcloud join`): passphrase, where to look, this member's address.
    // Blocks until joined; returns the join result with the progress lines.
    // `cancelled` (the CLI's Ctrl-C) ends it before this member joined (see JoinerOptions).
    nlohmann::json join(const nlohmann::json& request, const std::function<void(const std::string&)>& progress = {},
                        const std::function<bool()>& cancelled = {});

private:
    membership::Membership& membership_;
    std::string name_;
    std::map<std::string, std::string> services_;
    std::vector<ComponentPlugin> components_;
    std::function<nlohmann::json()> facts_;
    unsigned join_concurrency_;
    mutable std::mutex mutex_;
    // The session that stopped by itself, kept until its CLI stops it or another session starts.
    struct GaveUp {
        std::shared_ptr<InitiatorSession> session;
        std::string reason;
        bool bootstrapped = false;
    };

    // With mutex_ held: moves a session that stopped by itself from session_ to gave_up_.
    void retire_if_gave_up();
    // With mutex_ held: throws Error("session_stopped") for the session in gave_up_, if any.
    void throw_if_gave_up() const;

    std::shared_ptr<InitiatorSession> session_{};
    bool bootstrapped_ = false;
    std::optional<GaveUp> gave_up_{};
};

}  // namespace microcloud::host::formation
