// host/plugins/host_services.cpp - answers the service requests plugins send from their worker
// processes. Every failure becomes a status + {"code","message"}: a plugin's bad request must
// never throw inside the daemon's call loop.
#include "plugins/host_services.hpp"

#include "common/error.hpp"
#include "exec/command.hpp"
#include "exec/unix_http.hpp"
#include "system/facts.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <map>
#include <optional>
#include <vector>

namespace microcloud::host::plugins {
namespace {

using nlohmann::json;

constexpr int kOk = 0;
constexpr int kError = 1;

// JSON text that survives invalid UTF-8 in command output.
std::string dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

ServiceAnswer error_answer(const std::string& code, const std::string& message) {
    return {kError, dump(json{{"code", code}, {"message", message}})};
}

// Runs a service body, turning every exception into {"code","message"}.
template <class Body>
ServiceAnswer guarded(Body&& body) noexcept {
    try {
        return {kOk, dump(body())};
    } catch (const Error& e) {
        return error_answer(e.code(), e.what());
    } catch (const json::exception& e) {
        return error_answer("invalid_request", std::string("malformed service request: ") + e.what());
    } catch (const std::exception& e) {
        return error_answer("host_error", e.what());
    }
}

std::chrono::milliseconds timeout_of(const json& request, int default_ms) {
    return std::chrono::milliseconds(request.value("timeout_ms", default_ms));
}

// A request with "cache": "while_program_unchanged" may be answered from `outputs` (see
// program_output_cache.hpp); its answer then carries "cached": true.
json run_command(const ServiceRequest& r, ProgramOutputCache& outputs) {
    const json request = json::parse(r.request);
    std::optional<std::string> key;
    if (request.value("cache", "") == "while_program_unchanged") key = ProgramOutputCache::key_of(request);
    if (key) {
        if (std::optional<json> kept = outputs.find(*key)) {
            (*kept)["cached"] = true;
            return *kept;
        }
    }
    exec::CommandSpec spec;
    spec.argv = request.at("argv").get<std::vector<std::string>>();
    spec.env = request.value("env", std::map<std::string, std::string>{});
    spec.stdin_data = request.value("stdin", "");
    spec.timeout = timeout_of(request, 30000);
    if (r.cancelled) spec.cancelled = r.cancelled;
    spdlog::debug("[{}/{}] run: {}", r.plugin, r.hook, request.at("argv").dump());
    exec::CommandOutcome outcome = exec::run_command(spec);
    json answer{{"exit_code", outcome.exit_code},
                {"stdout", outcome.out},
                {"stderr", outcome.err},
                {"timed_out", outcome.timed_out},
                {"cancelled", outcome.cancelled}};
    if (key) outputs.keep(*key, answer);
    return answer;
}

json http_request(const ServiceRequest& r) {
    const json request = json::parse(r.request);
    exec::HttpRequest http;
    http.socket = request.at("socket").get<std::string>();
    http.method = request.value("method", "GET");
    http.path = request.at("path").get<std::string>();
    http.body = request.value("body", "");
    http.headers = request.value("headers", std::map<std::string, std::string>{});
    http.timeout = timeout_of(request, 10000);
    spdlog::debug("[{}/{}] http {} {} on {}", r.plugin, r.hook, http.method, http.path, http.socket);
    exec::HttpReply reply = exec::unix_http(http);
    return json{{"status", reply.status}, {"body", reply.body}, {"headers", reply.headers}};
}

}  // namespace

HostServices::HostServices(FactsProvider facts) : facts_(std::move(facts)) {}

ServiceAnswer HostServices::serve(const ServiceRequest& request) const noexcept {
    if (request.kind == "run_command") return guarded([&] { return run_command(request, outputs_); });
    if (request.kind == "http_request") return guarded([&] { return http_request(request); });
    if (request.kind == "member_facts") return guarded([&] { return member_facts(); });
    if (request.kind == "cancelled") {
        bool cancelled = true;  // an observer that cannot answer is treated as a cancellation
        try {
            cancelled = request.cancelled && request.cancelled();
        } catch (const std::exception&) {
        }
        return {kOk, cancelled ? "1" : "0"};
    }
    return error_answer("invalid_request", "unknown host service '" + request.kind + "'");
}

nlohmann::json HostServices::member_facts() const {
    return facts_ ? facts_() : system::collect_facts();
}

}  // namespace microcloud::host::plugins
