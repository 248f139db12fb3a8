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
    // {"active", "pending": [{name, address, fingerprint}], "admitted": [names]}.
    nlohmann::json status() const;
    // Admits the named waiting joiners; returns {"admitted": [...]}.
    nlohmann::json select(const std::set<std::string>& names);
    // Ends the session. Without `abort`, the admitted systems then join the components (see
    // components.hpp); if that fails they are removed again (and an init's cluster forgotten).
    // With `abort` after an init that admitted nobody, the bootstrapped cluster is forgotten.
    // Joiners still waiting get `reason`.
    nlohmann::json stop(const std::string& reason, bool abort,
                        const std::function<void(const std::string&)>& progress = {});

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
    std::shared_ptr<InitiatorSession> session_{};
    bool bootstrapped_ = false;
};

}  // namespace microcloud::host::formation
