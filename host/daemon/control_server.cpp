// host/daemon/control_server.cpp - routes of the control socket, each answering with the
// LXD-style envelope; errors carry the code and message of what failed.
#include "daemon/control_server.hpp"

#include "api/envelope.hpp"
#include "common/error.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>

namespace microcloud::host::daemon {
namespace {

void send(httplib::Response& res, int status, const nlohmann::json& body) {
    res.status = status;
    res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
}

// Wraps a handler so that every failure becomes an error envelope.
httplib::Server::Handler json_get(std::function<nlohmann::json()> produce) {
    return [produce = std::move(produce)](const httplib::Request& req, httplib::Response& res) {
        try {
            send(res, 200, api::sync_response(produce()));
        } catch (const Error& e) {
            send(res, 500, api::error_response(500, e.what(), e.code(), e.details()));
        } catch (const std::exception& e) {
            spdlog::error("GET {} failed: {}", req.path, e.what());
            send(res, 500, api::error_response(500, e.what(), "internal_error"));
        }
    };
}

}  // namespace

ControlServer::ControlServer(const Member& member, std::filesystem::path socket_path)
    : member_(member), socket_path_(std::move(socket_path)) {
    routes();
}

ControlServer::~ControlServer() {
    std::error_code ec;
    std::filesystem::remove(socket_path_, ec);
}

void ControlServer::routes() {
    server_.Get("/1.0", json_get([this] { return member_.info(); }));
    server_.Get("/1.0/plugins", json_get([this] { return member_.plugins(); }));
    server_.Get("/1.0/system", json_get([this] { return member_.system_facts(); }));
    server_.Get("/1.0/discovery", json_get([this] { return member_.discovery(); }));
    server_.Get("/1.0/status", json_get([this] { return member_.status(); }));
    server_.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return;
        const std::string message = res.status == 404 ? "Not found: " + req.method + " " + req.path
                                                      : "Request failed with HTTP " + std::to_string(res.status);
        send(res, res.status, api::error_response(res.status, message, res.status == 404 ? "not_found" : "http_error"));
    });
}

void ControlServer::bind() {
    std::error_code ec;
    std::filesystem::remove(socket_path_, ec);  // stale from a crash: we hold the state-dir lock
    server_.set_address_family(AF_UNIX);
    const mode_t old_mask = ::umask(0077);  // the socket is created root-only, no window
    const bool bound = server_.bind_to_port(socket_path_.string(), 80);
    ::umask(old_mask);
    if (!bound)
        throw Error("socket_bind_failed", "Cannot listen on control socket " + socket_path_.string());
    ::chmod(socket_path_.c_str(), 0600);
}

void ControlServer::serve() { server_.listen_after_bind(); }

void ControlServer::stop() { server_.stop(); }

}  // namespace microcloud::host::daemon
