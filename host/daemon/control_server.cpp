// host/daemon/control_server.cpp - routes of the control socket, each answering with the
// LXD-style envelope; errors carry the code and message of what failed.
#include "daemon/control_server.hpp"

#include "api/envelope.hpp"
#include "common/error.hpp"
#include "common/version.hpp"
#include "formation/preseed_run.hpp"
#include "formation/service_add.hpp"

#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>

#include <functional>

namespace microcloud::host::daemon {
namespace {

void send(httplib::Response& res, int status, const nlohmann::json& body) {
    res.status = status;
    res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
}

// Wraps a handler so that every failure becomes an error envelope with the status its code maps to.
httplib::Server::Handler json_handler(std::function<nlohmann::json(const nlohmann::json& body)> produce) {
    return [produce = std::move(produce)](const httplib::Request& req, httplib::Response& res) {
        try {
            nlohmann::json body = nlohmann::json::object();
            if (!req.body.empty()) {
                body = nlohmann::json::parse(req.body, nullptr, false);
                if (!body.is_object())
                    throw Error("invalid_request",
                                "The body of " + req.method + " " + req.path + " must be a JSON object");
            }
            send(res, 200, api::sync_response(produce(body)));
        } catch (const Error& e) {
            const int status = api::http_status_for(e.code());
            send(res, status, api::error_response(status, e.what(), e.code(), e.details()));
        } catch (const std::exception& e) {
            spdlog::error("{} {} failed: {}", req.method, req.path, e.what());
            send(res, 500, api::error_response(500, e.what(), "internal_error"));
        }
    };
}

using Progress = std::function<void(const std::string&)>;
using Cancelled = std::function<bool()>;
using Produce = std::function<nlohmann::json(const nlohmann::json&, const Progress&, const Cancelled&)>;

// Runs `produce` registered in `operations` for as long as it runs, so that a cancel request
// reaches it through the flag it asks.
nlohmann::json run_cancellable(RunningOperations& operations, const Produce& produce, const nlohmann::json& body,
                               const Progress& progress) {
    const auto operation = operations.begin();
    const RunningOperations::Flag flag = operation->flag();
    return produce(body, progress, [flag] { return flag->load(); });
}

// Like json_handler for long operations: a client that accepts application/x-ndjson gets a
// streamed answer, one JSON line per progress step ({"type": "progress", "message"}) and a last
// line {"type": "result", "envelope": ...}; other clients get the plain envelope at the end.
// Either way the operation can be cancelled while it runs (run_cancellable).
httplib::Server::Handler streaming_handler(RunningOperations& operations, Produce produce) {
    return [&operations, produce = std::move(produce)](const httplib::Request& req, httplib::Response& res) {
        if (req.get_header_value("Accept") != "application/x-ndjson") {
            json_handler([&](const nlohmann::json& body) { return run_cancellable(operations, produce, body, {}); })(
                req, res);
            return;
        }
        nlohmann::json body = nlohmann::json::parse(req.body.empty() ? "{}" : req.body, nullptr, false);
        if (!body.is_object()) {
            send(res, 400,
                 api::error_response(400, "The body of " + req.method + " " + req.path + " must be a JSON object",
                                     "invalid_request"));
            return;
        }
        res.status = 200;
        res.set_chunked_content_provider("application/x-ndjson", [&operations, produce, body,
                                                                  what = req.method + " " + req.path](
                                                                     size_t, httplib::DataSink& sink) {
            const auto line = [&sink](const nlohmann::json& value) {
                const std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
                sink.write(text.data(), text.size());
            };
            nlohmann::json envelope;
            try {
                envelope = api::sync_response(run_cancellable(
                    operations, produce, body,
                    [&line](const std::string& message) { line({{"type", "progress"}, {"message", message}}); }));
            } catch (const Error& e) {
                const int status = api::http_status_for(e.code());
                envelope = api::error_response(status, e.what(), e.code(), e.details());
            } catch (const std::exception& e) {
                spdlog::error("{} failed: {}", what, e.what());
                envelope = api::error_response(500, e.what(), "internal_error");
            }
            line({{"type", "result"}, {"envelope", envelope}});
            sink.done();
            return true;
        });
    };
}

httplib::Server::Handler json_get(std::function<nlohmann::json()> produce) {
    return json_handler([produce = std::move(produce)](const nlohmann::json&) { return produce(); });
}

// A string field of a request body; a missing or empty one is an error naming the field.
std::string field(const nlohmann::json& body, const std::string& name) {
    if (!body.contains(name) || !body[name].is_string() || body[name].get<std::string>().empty())
        throw Error("invalid_request", "The field \"" + name + "\" is missing or empty", {{"field", name}});
    return body[name].get<std::string>();
}

}  // namespace

ControlServer::ControlServer(const Member& member, membership::Membership& membership,
                             formation::SessionControl& sessions, std::filesystem::path socket_path)
    : member_(member), membership_(membership), sessions_(sessions), socket_path_(std::move(socket_path)) {
    routes();
}

ControlServer::~ControlServer() {
    std::error_code ec;
    std::filesystem::remove(socket_path_, ec);
}

void ControlServer::routes() {
    server_.Get("/1.0", json_get([this] { return member_.info(); }));
    // ?target=NAME: another cluster member's plugins (asked over mTLS).
    server_.Get("/1.0/plugins", [this](const httplib::Request& req, httplib::Response& res) {
        const std::string target = req.get_param_value("target");
        json_get([this, target] {
            if (target.empty() || target == member_.name()) return member_.plugins();
            return membership_.member_plugins(target);
        })(req, res);
    });
    // ?target=NAME: another cluster member's facts (asked over mTLS).
    server_.Get("/1.0/system", [this](const httplib::Request& req, httplib::Response& res) {
        const std::string target = req.get_param_value("target");
        json_get([this, target] {
            if (target.empty() || target == member_.name()) return member_.system_facts();
            return membership_.member_facts(target);
        })(req, res);
    });
    server_.Get("/1.0/discovery", json_get([this] { return member_.discovery(); }));
    // ?refresh=1: every plugin discovers afresh (status otherwise reuses the version probes).
    server_.Get("/1.0/status", [this](const httplib::Request& req, httplib::Response& res) {
        const bool refresh = req.get_param_value("refresh") == "1";
        json_get([this, refresh] {
            if (!membership_.clustered()) return member_.status(refresh);
            return nlohmann::json{{"members", membership_.cluster_status(refresh)}};
        })(req, res);
    });
    server_.Get("/1.0/cluster", json_get([this] { return membership_.list(); }));
    server_.Post("/1.0/cluster/bootstrap", json_handler([this](const nlohmann::json& body) {
                     return membership_.bootstrap(field(body, "address"));
                 }));
    server_.Post("/1.0/cluster/tokens", json_handler([this](const nlohmann::json& body) {
                     return membership_.issue_token(field(body, "name"));
                 }));
    server_.Get("/1.0/cluster/tokens", json_get([this] { return membership_.list_tokens(); }));
    server_.Post("/1.0/cluster/tokens/revoke", json_handler([this](const nlohmann::json& body) {
                     return membership_.revoke_token(field(body, "name"));
                 }));
    server_.Post("/1.0/sql", json_handler([this](const nlohmann::json& body) {
                     return membership_.sql(field(body, "query"));
                 }));
    server_.Post("/1.0/cluster/join", json_handler([this](const nlohmann::json& body) {
                     return membership_.join(field(body, "token"), field(body, "address"));
                 }));
    server_.Post("/1.0/cluster/remove",
                 streaming_handler(operations_, [this](const nlohmann::json& body, const Progress& progress,
                                                       const Cancelled& cancelled) {
                     const std::string name = field(body, "name");
                     const bool force = body.value("force", false);
                     nlohmann::json components;
                     if (body.value("components", false) && membership_.clustered()) {
                         membership_.check_removable(name, force);  // before any component changes
                         // Components first (LXD before the others), the membership last.
                         const formation::PreseedContext context{
                             .membership = membership_, .name = member_.name(), .components = member_.components()};
                         components = formation::remove_from_components(
                             formation::component_run(context, {}, false, nlohmann::json::object(), progress,
                                                      cancelled),
                             name, force);
                     }
                     nlohmann::json removed = membership_.remove(name, force);
                     if (!components.is_null()) removed["components"] = components;
                     return removed;
                 }));
    // What a preseed run and a service add know of this member (one place for both).
    const auto formation_context = [this](const Progress& progress, const Cancelled& cancelled) {
        return formation::PreseedContext{.membership = membership_,
                                         .facts = member_.system_facts(),
                                         .name = member_.name(),
                                         .version = kVersion,
                                         .services = member_.services(),
                                         .components = member_.components(),
                                         .join_concurrency = member_.join_concurrency(),
                                         .progress = progress,
                                         .cancelled = cancelled,
                                         .state_dir = member_.state_dir()};
    };
    server_.Post("/1.0/preseed",
                 streaming_handler(operations_, [formation_context](const nlohmann::json& body,
                                                                    const Progress& progress,
                                                                    const Cancelled& cancelled) {
                     const formation::PreseedContext context = formation_context(progress, cancelled);
                     return formation::run_preseed(field(body, "preseed"), body.value("dry_run", false), context);
                 }));
    // microcloud service add: {"services": [names], "setup": preseed document or null}.
    server_.Post("/1.0/services/add",
                 streaming_handler(operations_, [formation_context](const nlohmann::json& body,
                                                                    const Progress& progress,
                                                                    const Cancelled& cancelled) {
                     std::set<std::string> services;
                     for (const auto& name : body.value("services", nlohmann::json::array()))
                         if (name.is_string()) services.insert(name.get<std::string>());
                     const formation::PreseedContext context = formation_context(progress, cancelled);
                     return formation::add_services(context, services, body.value("setup", nlohmann::json()));
                 }));
    server_.Post("/1.0/session/initiating", json_handler([this](const nlohmann::json& body) {
                     formation::SessionStart start;
                     start.bootstrap = body.value("bootstrap", false);
                     start.address = body.value("address", "");
                     start.passphrase = body.value("passphrase", "");
                     return sessions_.start(start);
                 }));
    server_.Get("/1.0/session", json_get([this] { return sessions_.status(); }));
    server_.Post("/1.0/session/select", json_handler([this](const nlohmann::json& body) {
                     std::set<std::string> names;
                     for (const auto& name : body.value("names", nlohmann::json::array()))
                         if (name.is_string()) names.insert(name.get<std::string>());
                     return sessions_.select(names);
                 }));
    server_.Post("/1.0/session/stop",
                 streaming_handler(operations_, [this](const nlohmann::json& body, const Progress& progress,
                                                       const Cancelled&) {
                     return sessions_.stop(body.value("reason", ""), body.value("abort", false), progress,
                                           body.value("setup", nlohmann::json()));
                 }));
    server_.Post("/1.0/session/joining",
                 streaming_handler(operations_, [this](const nlohmann::json& body, const Progress& progress,
                                                       const Cancelled& cancelled) {
                     return sessions_.join(body, progress, cancelled);
                 }));
    server_.Post("/1.0/operations/cancel", json_handler([this](const nlohmann::json&) {
                     const std::size_t count = operations_.cancel_all();
                     spdlog::info("cancel requested: {} running operation(s)", count);
                     return nlohmann::json{{"cancelled", count}};
                 }));
    server_.Post("/1.0/shutdown", json_handler([](const nlohmann::json&) {
                     // The daemon's signal thread runs the same clean shutdown as for SIGTERM.
                     ::kill(::getpid(), SIGTERM);
                     return nlohmann::json{{"shutting_down", true}};
                 }));
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
    if (!bound) throw Error("socket_bind_failed", "Cannot listen on control socket " + socket_path_.string());
    ::chmod(socket_path_.c_str(), 0600);
}

void ControlServer::serve() {
    server_.listen_after_bind();
}

void ControlServer::stop() {
    server_.stop();
}

}  // namespace microcloud::host::daemon
