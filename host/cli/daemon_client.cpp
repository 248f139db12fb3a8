// host/cli/daemon_client.cpp - HTTP over the control socket, unwrapping the envelope.
#include "cli/daemon_client.hpp"

#include "cli/interrupt_cancels.hpp"

#include "api/envelope.hpp"
#include "api/paths.hpp"
#include "common/error.hpp"
#include "exec/unix_http.hpp"

namespace microcloud::host::cli {

DaemonClient::DaemonClient(std::filesystem::path state_dir) : socket_(api::control_socket(state_dir)) {}

exec::HttpReply DaemonClient::send(const exec::HttpRequest& request) const {
    try {
        return exec::unix_http(request);
    } catch (const Error& e) {
        throw Error("daemon_unreachable",
                    "microcloudd is not running or not reachable on " + socket_.string() + " (" + e.what() + ")");
    }
}

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
    const exec::HttpReply reply = send(request);
    return api::unwrap(reply.status, reply.body);
}

}  // namespace microcloud::host::cli

namespace microcloud::host::cli {

nlohmann::json DaemonClient::post_streaming(const std::string& path, const nlohmann::json& body,
                                            const std::function<void(const std::string&)>& progress,
                                            std::chrono::milliseconds timeout) const {
    exec::HttpRequest request;
    request.socket = socket_.string();
    request.method = "POST";
    request.path = path;
    request.body = body.dump();
    request.timeout = timeout;
    request.headers["Accept"] = "application/x-ndjson";
    std::string pending;
    std::string last_step;  // the last progress line, to say where a daemon that went away was
    nlohmann::json envelope;
    std::string plain;  // an answer that was not streamed (an error before the stream began)
    request.on_body = [&](std::string_view piece) {
        pending.append(piece);
        for (auto end = pending.find('\n'); end != std::string::npos; end = pending.find('\n')) {
            const nlohmann::json line = nlohmann::json::parse(pending.substr(0, end), nullptr, false);
            const std::string raw = pending.substr(0, end);
            pending.erase(0, end + 1);
            if (line.is_object() && line.value("type", "") == "progress") {
                last_step = line.value("message", "");
                if (progress) progress(last_step);
            } else if (line.is_object() && line.value("type", "") == "result") {
                envelope = line.value("envelope", nlohmann::json());
            } else {
                plain += raw + "\n";
            }
        }
    };
    exec::HttpReply reply;
    {
        // Ctrl-C cancels the operation in the daemon; this call keeps reading until its end.
        const InterruptCancels interrupt([this] { post("/1.0/operations/cancel", nlohmann::json::object()); });
        try {
            reply = send(request);
        } catch (const Error& e) {
            if (last_step.empty()) throw;
            // The daemon went away mid-run (killed, or its machine stopped).
            throw Error("daemon_lost",
                        "microcloudd stopped answering during \"" + last_step + "\" (" + e.what() +
                            "); when it starts again it undoes what a formation it led had changed",
                        {{"step", last_step}});
        }
    }
    plain += pending;
    if (envelope.is_null()) return api::unwrap(reply.status, plain);
    const int status = envelope.value("type", "") == "error" ? envelope.value("error_code", 500) : 200;
    return api::unwrap(status, envelope.dump());
}

}  // namespace microcloud::host::cli
