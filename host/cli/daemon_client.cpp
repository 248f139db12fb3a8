// host/cli/daemon_client.cpp - HTTP over the control socket, unwrapping the envelope.
#include "cli/daemon_client.hpp"

#include "api/envelope.hpp"
#include "api/paths.hpp"
#include "common/error.hpp"
#include "exec/unix_http.hpp"

namespace microcloud::host::cli {

DaemonClient::DaemonClient(std::filesystem::path state_dir) : socket_(api::control_socket(state_dir)) {}

nlohmann::json DaemonClient::get(const std::string& path, std::chrono::milliseconds timeout) const {
    return call("GET", path, "", timeout);
}

nlohmann::json DaemonClient::post(const std::string& path, const nlohmann::json& body,
                                  std::chrono::milliseconds timeout) const {
    return call("POST", path, body.dump(), timeout);
}

nlohmann::json DaemonClient::call(const std::string& method, const std::string& path, const std::string& body,
                                  std::chrono::milliseconds timeout) const {
    exec::HttpRequest request;
    request.socket = socket_.string();
    request.method = method;
    request.path = path;
    request.body = body;
    request.timeout = timeout;
    exec::HttpReply reply;
    try {
        reply = exec::unix_http(request);
    } catch (const Error& e) {
        throw Error("daemon_unreachable",
                    "microcloudd is not running or not reachable on " + socket_.string() + " (" + e.what() + ")");
    }
    return api::unwrap(reply.status, reply.body);
}

}  // namespace microcloud::host::cli
