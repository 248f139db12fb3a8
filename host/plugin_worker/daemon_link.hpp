// host/plugin_worker/daemon_link.hpp - the plugin worker's side of its socketpair to microcloudd:
// frames out under one lock, and host-service requests that wait for the daemon's answer while
// the main thread reads frames in (any plugin thread may ask at the same time).
#pragma once

#include <nlohmann/json.hpp>

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace microcloud::host::plugin_worker {

struct ServiceAnswer {
    int status = 1;      // MC_STATUS_OK or MC_STATUS_ERROR
    std::string output;  // the service's JSON text
};

class DaemonLink {
public:
    explicit DaemonLink(int fd) : fd_(fd) {}

    int fd() const { return fd_; }
    // Sends one frame; false once the daemon is gone.
    bool send(const nlohmann::json& message);
    // Asks the daemon for a host service and waits for its answer ({"t":"svc"} / {"t":"svc_reply"}).
    ServiceAnswer request(const std::string& kind, const std::string& request_text);
    // Hands a {"t":"svc_reply"} frame to the request waiting for it.
    void deliver(const nlohmann::json& reply);
    // The daemon is gone: every waiting request fails.
    void close();

private:
    int fd_;
    std::mutex write_mutex_;
    std::mutex mutex_;
    std::condition_variable answered_;
    std::uint64_t next_id_ = 1;
    bool closed_ = false;
    std::map<std::uint64_t, std::optional<ServiceAnswer>> pending_;
};

}  // namespace microcloud::host::plugin_worker
