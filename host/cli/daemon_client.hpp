// host/cli/daemon_client.hpp - the CLI's connection to the local microcloudd control socket.
#pragma once

#include "exec/unix_http.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

namespace microcloud::host::cli {

class DaemonClient {
public:
    explicit DaemonClient(std::filesystem::path state_dir);

    // GETs an API path and returns the envelope's metadata. Throws Error("daemon_unreachable")
    // naming the socket when microcloudd does not answer, or the API's own error.
    nlohmann::json get(const std::string& path,
                       std::chrono::milliseconds timeout = std::chrono::milliseconds(60000)) const;

    // POSTs a JSON body; as get().
    nlohmann::json post(const std::string& path, const nlohmann::json& body,
                        std::chrono::milliseconds timeout = std::chrono::milliseconds(120000)) const;

    // POSTs a JSON body asking for a streamed answer: each progress line the daemon sends is
    // handed to `progress` as it comes; returns the final envelope's metadata (errors as post()).
    nlohmann::json post_streaming(const std::string& path, const nlohmann::json& body,
                                  const std::function<void(const std::string&)>& progress,
                                  std::chrono::milliseconds timeout = std::chrono::hours(2)) const;

    const std::filesystem::path& socket() const { return socket_; }

private:
    // unix_http to the control socket; a daemon that does not answer is Error("daemon_unreachable").
    exec::HttpReply send(const exec::HttpRequest& request) const;
    nlohmann::json call(const std::string& method, const std::string& path, const std::string& body,
                        std::chrono::milliseconds timeout) const;

    std::filesystem::path socket_;
};

}  // namespace microcloud::host::cli
