// host/formation/joiner.hpp - the joiner's side of formation: find the initiator (multicast on the
// lookup subnet), prove the passphrase, receive a join token in the initiator's sealed answer and
// join the cluster with it.
#pragma once

#include "discovery/interface_choice.hpp"
#include "membership/membership.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace microcloud::host::formation {

struct JoinerOptions {
    std::string name{};
    std::string initiator_name{};     // match discovery replies by name (empty: the first)
    std::string initiator_address{};  // "ip" or "ip:port": skip discovery and go there
    discovery::ChosenInterface on{};  // where to look for the initiator
    std::string own_address{};        // this member's TLS address (ip:port)
    std::string passphrase{};  // used as given: a preseed's text, or the prompt's normalised words
    std::string version{};
    std::map<std::string, std::string> services{};
    std::chrono::milliseconds lookup_timeout{60000};
    std::chrono::milliseconds session_timeout{600000};
    std::function<void(const std::string&)> progress{};
    // The CLI's Ctrl-C: asked while looking for the initiator and while its answer is awaited; true
    // ends the join with Error("cancelled") before this member changed anything.
    std::function<bool()> cancelled{};
};

// Returns what membership.join returned, plus "initiator". Errors: the lookup's
// ("discovery_nothing_heard" naming interface and subnet, "discovery_version_mismatch"),
// Error("cancelled") when options.cancelled said so (before the cluster join itself),
// Error("session_wrong_passphrase", "Wrong passphrase"), the initiator's refusals, join errors.
nlohmann::json join_through_session(membership::Membership& membership, const JoinerOptions& options);

}  // namespace microcloud::host::formation
