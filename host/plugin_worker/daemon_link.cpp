// host/plugin_worker/daemon_link.cpp - request/answer matching for host services over the wire.
#include "plugin_worker/daemon_link.hpp"

#include "plugins/worker_wire.hpp"

#include <optional>

namespace microcloud::host::plugin_worker {

bool DaemonLink::send(const nlohmann::json& message) {
    std::lock_guard lock(write_mutex_);
    return plugins::wire::write_frame(fd_, message);
}

ServiceAnswer DaemonLink::request(const std::string& kind, const std::string& request_text) {
    std::uint64_t id = 0;
    {
        std::lock_guard lock(mutex_);
        if (closed_) return {1, R"({"code":"host_gone","message":"microcloudd closed the plugin's connection"})"};
        id = next_id_++;
        pending_[id];
    }
    if (!send({{"t", "svc"}, {"id", id}, {"kind", kind}, {"request", request_text}})) close();
    std::unique_lock lock(mutex_);
    answered_.wait(lock, [&] { return closed_ || pending_.at(id).has_value(); });
    std::optional<ServiceAnswer> answer = std::move(pending_.at(id));
    pending_.erase(id);
    if (!answer) return {1, R"({"code":"host_gone","message":"microcloudd closed the plugin's connection"})"};
    return *answer;
}

void DaemonLink::deliver(const nlohmann::json& reply) {
    const std::uint64_t id = reply.value("id", std::uint64_t{0});
    std::lock_guard lock(mutex_);
    auto it = pending_.find(id);
    if (it == pending_.end()) return;  // an answer nobody waits for any more
    it->second = ServiceAnswer{reply.value("status", 1), reply.value("output", std::string())};
    answered_.notify_all();
}

void DaemonLink::close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    answered_.notify_all();
}

}  // namespace microcloud::host::plugin_worker
