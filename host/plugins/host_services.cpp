// host/plugins/host_services.cpp - the C functions behind mc_host_api. Each one is noexcept: an
// exception must never unwind through plugin frames, so every failure becomes a status + JSON.
#include "plugins/host_services.hpp"

#include "common/error.hpp"
#include "exec/command.hpp"
#include "exec/unix_http.hpp"
#include "plugins/call_state.hpp"
#include "system/facts.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

namespace microcloud::host::plugins {
namespace {

using nlohmann::json;

// JSON text that survives invalid UTF-8 in command output.
std::string dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

void write(mc_write_fn out, void* ctx, const std::string& text) {
    if (out) out(ctx, text.data(), text.size());
}

mc_status write_error(mc_write_fn out, void* ctx, const std::string& code, const std::string& message) {
    write(out, ctx, dump(json{{"code", code}, {"message", message}}));
    return MC_STATUS_ERROR;
}

// Runs a service body, turning every exception into {"code","message"}.
template <class Body>
mc_status guarded(mc_write_fn out, void* ctx, Body&& body) noexcept {
    try {
        write(out, ctx, dump(body()));
        return MC_STATUS_OK;
    } catch (const Error& e) {
        return write_error(out, ctx, e.code(), e.what());
    } catch (const json::exception& e) {
        return write_error(out, ctx, "invalid_request", std::string("malformed service request: ") + e.what());
    } catch (const std::exception& e) {
        return write_error(out, ctx, "host_error", e.what());
    }
}

std::chrono::milliseconds timeout_of(const json& request, int default_ms) {
    return std::chrono::milliseconds(request.value("timeout_ms", default_ms));
}

void on_reply(mc_call* call, const char* text, size_t len) {
    CallState& s = state_of(call);
    s.replied = true;
    s.reply.assign(text ? text : "", text ? len : 0);
}

void on_fail(mc_call* call, const char* code, const char* message, const char* details) {
    CallState& s = state_of(call);
    s.failed = true;
    s.code = code ? code : "";
    s.message = message ? message : "";
    s.details = details ? details : "";
}

void on_log(mc_call* call, mc_log_level level, const char* message) {
    const CallState& s = state_of(call);
    const auto lvl = level == MC_LOG_DEBUG  ? spdlog::level::debug
                     : level == MC_LOG_INFO ? spdlog::level::info
                     : level == MC_LOG_WARN ? spdlog::level::warn
                                            : spdlog::level::err;
    spdlog::log(lvl, "[{}/{}] {}", s.plugin, s.hook, message ? message : "");
}

void on_progress(mc_call* call, const char* step, uint64_t done, uint64_t total) {
    const CallState& s = state_of(call);
    spdlog::debug("[{}/{}] progress {}: {}/{}", s.plugin, s.hook, step ? step : "", done, total);
    if (s.observer && s.observer->progress) {
        try {
            s.observer->progress(step ? step : "", done, total);
        } catch (const std::exception& e) {
            spdlog::warn("[{}/{}] progress observer failed: {}", s.plugin, s.hook, e.what());
        }
    }
}

int32_t on_cancelled(mc_call* call) {
    const CallState& s = state_of(call);
    try {
        return s.observer && s.observer->cancelled && s.observer->cancelled() ? 1 : 0;
    } catch (const std::exception&) {
        return 1;  // an observer that cannot answer is treated as a cancellation
    }
}

mc_status on_run_command(mc_call* call, const char* request_json, mc_write_fn out, void* out_ctx) {
    const CallState& s = state_of(call);
    return guarded(out, out_ctx, [&] {
        json request = json::parse(request_json ? request_json : "");
        exec::CommandSpec spec;
        spec.argv = request.at("argv").get<std::vector<std::string>>();
        spec.env = request.value("env", std::map<std::string, std::string>{});
        spec.stdin_data = request.value("stdin", "");
        spec.timeout = timeout_of(request, 30000);
        if (s.observer && s.observer->cancelled) spec.cancelled = s.observer->cancelled;
        spdlog::debug("[{}/{}] run: {}", s.plugin, s.hook, request.at("argv").dump());
        exec::CommandOutcome outcome = exec::run_command(spec);
        return json{{"exit_code", outcome.exit_code},
                    {"stdout", outcome.out},
                    {"stderr", outcome.err},
                    {"timed_out", outcome.timed_out},
                    {"cancelled", outcome.cancelled}};
    });
}

mc_status on_http_request(mc_call* call, const char* request_json, mc_write_fn out, void* out_ctx) {
    const CallState& s = state_of(call);
    return guarded(out, out_ctx, [&] {
        json request = json::parse(request_json ? request_json : "");
        exec::HttpRequest http;
        http.socket = request.at("socket").get<std::string>();
        http.method = request.value("method", "GET");
        http.path = request.at("path").get<std::string>();
        http.body = request.value("body", "");
        http.headers = request.value("headers", std::map<std::string, std::string>{});
        http.timeout = timeout_of(request, 10000);
        spdlog::debug("[{}/{}] http {} {} on {}", s.plugin, s.hook, http.method, http.path, http.socket);
        exec::HttpReply reply = exec::unix_http(http);
        return json{{"status", reply.status}, {"body", reply.body}, {"headers", reply.headers}};
    });
}

mc_status on_member_facts(mc_call* call, mc_write_fn out, void* out_ctx) {
    const CallState& s = state_of(call);
    return guarded(out, out_ctx, [&] { return s.services->member_facts(); });
}

}  // namespace

HostServices::HostServices(FactsProvider facts) : facts_(std::move(facts)) {
    api_.abi_major = MC_ABI_MAJOR;
    api_.abi_minor = MC_ABI_MINOR;
    api_.struct_size = sizeof(mc_host_api);
    api_.reply = &on_reply;
    api_.fail = &on_fail;
    api_.log = &on_log;
    api_.progress = &on_progress;
    api_.cancelled = &on_cancelled;
    api_.run_command = &on_run_command;
    api_.http_request = &on_http_request;
    api_.member_facts = &on_member_facts;
}

nlohmann::json HostServices::member_facts() const {
    return facts_ ? facts_() : system::collect_facts();
}

}  // namespace microcloud::host::plugins
