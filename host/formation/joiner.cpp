// host/formation/joiner.cpp - discovery, the sealed session request, then the token join.
#include "formation/joiner.hpp"

#include "api/envelope.hpp"
#include "common/backoff.hpp"
#include "common/error.hpp"
#include "discovery/lookup.hpp"
#include "formation/session_messages.hpp"
#include "membership/member_file.hpp"
#include "transport/peer_client.hpp"
#include "trust/passphrase.hpp"

namespace microcloud::host::formation {
namespace {

// A joiner started with its initiator asks again soon (the initiator's session opens a moment after
// its daemon answers), then once a second: its multicast probes and its requests alike.
constexpr std::chrono::milliseconds kFirstRetry{100};
constexpr std::chrono::milliseconds kLongestRetry{1000};

}  // namespace

nlohmann::json join_through_session(membership::Membership& membership, const JoinerOptions& options) {
    const auto say = [&](const std::string& line) {
        if (options.progress) options.progress(line);
    };
    const std::string& passphrase = options.passphrase;
    discovery::ServerInfo initiator;
    if (!options.initiator_address.empty()) {
        initiator.address =
            membership::normalise_member_address(options.initiator_address, transport::kDefaultPeerPort);
        // The initiator may start a moment after its joiners: asked again until the lookup timeout.
        say("Looking for the initiator at " + initiator.address);
        const auto deadline = std::chrono::steady_clock::now() + options.lookup_timeout;
        Backoff pause(kFirstRetry, kLongestRetry);
        for (;;) {
            try {
                initiator.fingerprint = transport::fetch_server_fingerprint(
                    initiator.address, membership.credentials(), std::chrono::seconds(5));
                break;
            } catch (const Error& error) {
                if (options.cancelled && options.cancelled())
                    throw Error("cancelled", "The join was cancelled while looking for the initiator");
                if (std::chrono::steady_clock::now() + pause.peek() >= deadline)
                    throw Error(error.code(),
                                "No initiator answered at " + initiator.address + " within the lookup timeout: " +
                                    error.what(),
                                {{"address", initiator.address}});
                pause.sleep();
            }
        }
        initiator.name = initiator.address;
    } else {
        discovery::LookupOptions lookup;
        lookup.on = options.on;
        lookup.timeout = options.lookup_timeout;
        lookup.first_probe_interval = kFirstRetry;
        lookup.probe_interval = kLongestRetry;
        lookup.cancelled = options.cancelled;
        if (!options.initiator_name.empty())
            lookup.match = [&](const discovery::ServerInfo& info) { return info.name == options.initiator_name; };
        say("Looking for the initiator on " + options.on.endpoint.interface + " (" + options.on.subnet + ")");
        initiator = discovery::lookup(lookup).system;
    }
    say("Found system " + initiator.name + " at " + initiator.address + " using fingerprint " +
        initiator.fingerprint.substr(0, 12));

    const trust::JoinKey key = trust::derive_join_key(passphrase, initiator.fingerprint);
    const transport::TlsCredentials credentials = membership.credentials();
    const JoinIntent intent{options.name, options.version, options.own_address, credentials.certificate_pem,
                            options.services};
    transport::PeerClientOptions client;
    client.credentials = credentials;
    client.server_fingerprints = {initiator.fingerprint};
    client.request_timeout = options.session_timeout;
    client.cancelled = options.cancelled;
    // Gone straight to the initiator's address, the joiner may be there before the initiator opened
    // its session: asked again until the lookup timeout (multicast finds only open sessions).
    const auto session_deadline = std::chrono::steady_clock::now() + options.lookup_timeout;
    nlohmann::json metadata;
    Backoff pause(kFirstRetry, kLongestRetry);
    for (;;) {
        const transport::PeerResponse reply = transport::peer_request(initiator.address, "POST", "/1.0/session/join",
                                                                      seal(key, to_json(intent)), client);
        try {
            metadata = api::unwrap(reply.status, reply.body);
            break;
        } catch (const Error& error) {
            if (std::string(error.what()) == "Invalid HMAC")
                throw Error("session_wrong_passphrase", "Wrong passphrase", {{"initiator", initiator.name}});
            const bool no_session_yet = reply.status == 404 &&
                                        (error.code() == "session_not_found" ||
                                         std::string(error.what()) == "There is no active session") &&
                                        !options.initiator_address.empty() &&
                                        std::chrono::steady_clock::now() + pause.peek() < session_deadline;
            if (!no_session_yet) throw;
            if (options.cancelled && options.cancelled())
                throw Error("cancelled", "The join was cancelled while waiting for the initiator's session");
            pause.sleep();
        }
    }
    trust::FreshnessGuard guard;
    JoinAnswer answer;
    try {
        answer = answer_from_json(open_sealed(key, metadata.value("sealed", ""), guard));
    } catch (const Error& error) {
        throw Error("session_forbidden", "The initiator " + initiator.name +
                                             " did not prove it knows the passphrase (" + error.what() + ")");
    }
    if (options.cancelled && options.cancelled())
        throw Error("cancelled", "The join was cancelled from the command line before this member joined " +
                                     answer.name + "'s cluster");
    say("Joining the cluster through " + answer.name);
    nlohmann::json joined = membership.join(answer.token, options.own_address);
    joined["initiator"] = answer.name;
    say("Successfully joined the MicroCloud cluster and closing the session.");
    return joined;
}

}  // namespace microcloud::host::formation
