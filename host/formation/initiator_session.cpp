// host/formation/initiator_session.cpp - checking joiners and admitting them with a token.
#include "formation/initiator_session.hpp"

#include "api/envelope.hpp"
#include "common/error.hpp"
#include "trust/certificate.hpp"
#include "trust/passphrase.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

namespace microcloud::host::formation {

InitiatorSession::InitiatorSession(SessionOptions options)
    : options_(std::move(options)),
      key_(trust::derive_join_key(options_.passphrase, options_.fingerprint)) {
    if (options_.announce_on) {
        discovery::ServerInfo info;
        info.name = options_.name;
        info.address = options_.address;
        info.fingerprint = options_.fingerprint;
        info.services = options_.services;
        responder_ = std::make_unique<discovery::Responder>(options_.announce_on->endpoint, info);
    }
}

InitiatorSession::~InitiatorSession() {
    stop("the session ended");
}

void InitiatorSession::stop(const std::string& reason) {
    end(reason, false);
}

std::string InitiatorSession::gave_up() const {
    const std::lock_guard lock(mutex_);
    return gave_up_ ? stop_reason_ : std::string();
}

void InitiatorSession::end(const std::string& reason, bool by_itself) {
    {
        const std::lock_guard lock(mutex_);
        if (stop_reason_.empty()) {
            stop_reason_ = reason;
            gave_up_ = by_itself;
        }
    }
    if (responder_) responder_->stop();
    changed_.notify_all();
}

std::vector<PendingJoiner> InitiatorSession::pending() const {
    const std::lock_guard lock(mutex_);
    return pending_;
}

std::set<std::string> InitiatorSession::select(const std::set<std::string>& names) {
    std::set<std::string> chosen;
    {
        const std::lock_guard lock(mutex_);
        for (const PendingJoiner& joiner : pending_)
            if (names.contains(joiner.name)) chosen.insert(joiner.name);
        selected_.insert(chosen.begin(), chosen.end());
    }
    changed_.notify_all();
    return chosen;
}

std::set<std::string> InitiatorSession::admitted() const {
    const std::lock_guard lock(mutex_);
    std::set<std::string> names;
    for (const auto& [name, fingerprint] : admitted_) names.insert(name);
    return names;
}

std::set<std::string> InitiatorSession::wait_for_all(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    changed_.wait_until(lock, deadline, [&] {
        if (!stop_reason_.empty()) return true;
        for (const auto& name : options_.expected)
            if (!admitted_.contains(name)) return false;
        return !options_.expected.empty();
    });
    std::set<std::string> names;
    for (const auto& [name, fingerprint] : admitted_) names.insert(name);
    return names;
}

transport::PeerResponse InitiatorSession::handle(const transport::PeerRequest& request) {
    {
        const std::lock_guard lock(mutex_);
        if (!stop_reason_.empty())
            throw Error("session_stopped", "The session is over: " + stop_reason_, {{"reason", stop_reason_}});
    }
    nlohmann::json payload;
    try {
        payload = open_sealed(key_, request.body, guard_);
    } catch (const Error& error) {
        if (error.code() != "session_wrong_passphrase") throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));  // slows down guessing
        bool stop_now = false;
        {
            const std::lock_guard lock(mutex_);
            stop_now = ++failures_ >= options_.max_failures;
        }
        spdlog::warn("session of {}: a joiner from {} gave a wrong passphrase proof", options_.name,
                     request.remote_address);
        if (stop_now) {
            end("Stopping session after too many failed attempts", true);
            throw Error("session_stopped", "Stopping session after too many failed attempts");
        }
        throw Error("session_forbidden", "Invalid HMAC");
    }
    const JoinIntent intent = intent_from_json(payload);
    if (!options_.expected.empty() && !options_.expected.contains(intent.name))
        throw Error("session_forbidden",
                    "Rejecting peer \"" + intent.name + "\": it is not one of the selected systems",
                    {{"peer", intent.name}});
    std::string missing;
    for (const auto& [service, version] : options_.services) {
        const auto found = intent.services.find(service);
        if (found == intent.services.end()) {
            missing += (missing.empty() ? "" : ", ") + service;
        } else if (found->second != version) {
            throw Error("session_forbidden",
                        "Rejecting peer \"" + intent.name + "\" due to invalid " + service + " version. (Want: \"" +
                            version + "\", Detected: \"" + found->second + "\")",
                        {{"peer", intent.name}, {"service", service}});
        }
    }
    if (!missing.empty())
        throw Error("session_forbidden",
                    "Rejecting peer \"" + intent.name + "\" due to missing services (" + missing + ")",
                    {{"peer", intent.name}});
    const std::string fingerprint = trust::fingerprint(intent.certificate);
    if (!request.client || request.client->fingerprint != fingerprint)
        throw Error("certificate_untrusted", "The joiner must connect with the certificate it presents in its request");
    {
        const std::lock_guard lock(mutex_);
        for (const auto& [name, known] : admitted_) {
            if (known == fingerprint && name != intent.name)
                throw Error("fingerprint_exists", "Fingerprint already exists");
            if (name == intent.name && known != fingerprint)
                throw Error("member_exists", "Duplicate system name \"" + intent.name + "\"", {{"peer", intent.name}});
        }
    }
    if (options_.manual_selection) {
        std::unique_lock lock(mutex_);
        if (std::none_of(pending_.begin(), pending_.end(),
                         [&](const PendingJoiner& p) { return p.name == intent.name; }))
            pending_.push_back({intent.name, intent.address, fingerprint});
        changed_.notify_all();
        changed_.wait(lock, [&] { return selected_.contains(intent.name) || !stop_reason_.empty(); });
        std::erase_if(pending_, [&](const PendingJoiner& p) { return p.name == intent.name; });
        if (!selected_.contains(intent.name))
            throw Error("session_stopped", stop_reason_, {{"peer", intent.name}, {"reason", stop_reason_}});
    }
    const JoinAnswer answer{options_.name, options_.admit(intent)};
    {
        const std::lock_guard lock(mutex_);
        admitted_[intent.name] = fingerprint;
    }
    changed_.notify_all();
    spdlog::info("session of {}: admitted {} from {}", options_.name, intent.name, request.remote_address);
    return {200, api::sync_response({{"sealed", seal(key_, to_json(answer))}}).dump()};
}

}  // namespace microcloud::host::formation
