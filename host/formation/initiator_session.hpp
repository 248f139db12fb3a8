// host/formation/initiator_session.hpp - the initiator's side of a trust session: it answers
// multicast probes, checks each joiner's passphrase proof, services and name, and hands an admitted
// joiner a join token in a sealed answer. One session at a time per member.
#pragma once

#include "discovery/interface_choice.hpp"
#include "discovery/responder.hpp"
#include "formation/session_messages.hpp"
#include "transport/peer_server.hpp"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace microcloud::host::formation {

struct SessionOptions {
    std::string passphrase{};                       // used as given (see JoinerOptions::passphrase)
    std::string fingerprint{};                      // the certificate joiners see on the initiator's TLS port
    std::string name{};                             // the initiator
    std::string address{};                          // the initiator's TLS address (ip:port), announced to joiners
    std::set<std::string> expected{};               // the systems that may join; empty: any
    std::map<std::string, std::string> services{};  // the initiator's plugins and versions
    // Issues the join token for an accepted joiner (throws to refuse it).
    std::function<std::string(const JoinIntent&)> admit{};
    // Where to answer discovery probes; none: joiners come by address.
    std::optional<discovery::ChosenInterface> announce_on{};
    std::size_t max_failures = 50;
    // Interactive sessions: a joiner that proved the passphrase waits (its request held open) until
    // the user selects it (select()) or the session stops; preseed sessions admit the expected
    // systems at once.
    bool manual_selection = false;
};

// A joiner that proved the passphrase and waits to be selected.
struct PendingJoiner {
    std::string name{};
    std::string address{};
    std::string fingerprint{};
};

class InitiatorSession {
public:
    // Derives the key (argon2id) and starts answering probes. Throws the responder's errors.
    explicit InitiatorSession(SessionOptions options);
    ~InitiatorSession();
    InitiatorSession(const InitiatorSession&) = delete;
    InitiatorSession& operator=(const InitiatorSession&) = delete;

    // POST /1.0/session/join. Thread-safe. A wrong proof costs 100 ms and counts towards
    // max_failures, after which the session stops by itself (gave_up() then says why: "Stopping
    // session after too many failed attempts"). Refusals: Error("session_forbidden", "Invalid
    // HMAC"), upstream's "Rejecting peer ..." texts, "Fingerprint already exists", and
    // Error("session_stopped") once stopped.
    transport::PeerResponse handle(const transport::PeerRequest& request);

    // Waits until every expected system was admitted, the session stopped, or `deadline`.
    // Returns the names admitted so far.
    std::set<std::string> wait_for_all(std::chrono::steady_clock::time_point deadline);
    std::set<std::string> admitted() const;
    // Joiners waiting for selection, in arrival order.
    std::vector<PendingJoiner> pending() const;
    // Admits these waiting joiners (their held requests get their tokens); names not waiting are
    // ignored. Returns the names admitted by this call.
    std::set<std::string> select(const std::set<std::string>& names);
    // Ends the session: joiners still waiting are refused with `reason`.
    void stop(const std::string& reason);
    // Why the session stopped by itself (too many wrong proofs); empty while it runs and when it
    // was ended by stop().
    std::string gave_up() const;

private:
    void end(const std::string& reason, bool by_itself);

    SessionOptions options_;
    trust::JoinKey key_;
    trust::FreshnessGuard guard_{};
    std::unique_ptr<discovery::Responder> responder_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::map<std::string, std::string> admitted_;  // name -> certificate fingerprint
    std::vector<PendingJoiner> pending_;
    std::set<std::string> selected_;
    std::size_t failures_ = 0;
    std::string stop_reason_{};
    bool gave_up_ = false;  // stop_reason_ was set by the session itself
};

}  // namespace microcloud::host::formation
