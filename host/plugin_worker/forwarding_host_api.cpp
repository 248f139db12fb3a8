// host/plugin_worker/forwarding_host_api.cpp - the C functions behind the worker's mc_host_api.
// None may throw into plugin frames: a failure to reach the daemon becomes an error status.
#include "plugin_worker/forwarding_host_api.hpp"

#include <cstdint>
#include <exception>

namespace microcloud::host::plugin_worker {
namespace {

CallRecord& record_of(mc_call* call) { return *static_cast<CallRecord*>(call->host_data); }

void on_reply(mc_call* call, const char* text, size_t len) {
    CallRecord& r = record_of(call);
    r.replied = true;
    r.reply.assign(text ? text : "", text ? len : 0);
}

void on_fail(mc_call* call, const char* code, const char* message, const char* details) {
    CallRecord& r = record_of(call);
    r.failed = true;
    r.code = code ? code : "";
    r.message = message ? message : "";
    r.details = details ? details : "";
}

void on_log(mc_call* call, mc_log_level level, const char* message) noexcept {
    try {
        record_of(call).link->send({{"t", "log"}, {"level", static_cast<int>(level)}, {"message", message ? message : ""}});
    } catch (const std::exception&) {  // a log line lost is no reason to fail the hook
    }
}

void on_progress(mc_call* call, const char* step, uint64_t done, uint64_t total) noexcept {
    try {
        record_of(call).link->send({{"t", "progress"}, {"step", step ? step : ""}, {"done", done}, {"total", total}});
    } catch (const std::exception&) {
    }
}

mc_status forward(mc_call* call, const char* kind, const char* request, mc_write_fn out, void* ctx) noexcept {
    try {
        const ServiceAnswer answer = record_of(call).link->request(kind, request ? request : "");
        if (out) out(ctx, answer.output.data(), answer.output.size());
        return answer.status == MC_STATUS_OK ? MC_STATUS_OK : MC_STATUS_ERROR;
    } catch (const std::exception&) {
        return MC_STATUS_ERROR;
    }
}

int32_t on_cancelled(mc_call* call) noexcept {
    try {
        // The daemon answers "1" once the operation was cancelled.
        return record_of(call).link->request("cancelled", "").output == "1" ? 1 : 0;
    } catch (const std::exception&) {
        return 1;
    }
}

mc_status on_run_command(mc_call* call, const char* request, mc_write_fn out, void* ctx) {
    return forward(call, "run_command", request, out, ctx);
}

mc_status on_http_request(mc_call* call, const char* request, mc_write_fn out, void* ctx) {
    return forward(call, "http_request", request, out, ctx);
}

mc_status on_member_facts(mc_call* call, mc_write_fn out, void* ctx) {
    return forward(call, "member_facts", "", out, ctx);
}

mc_host_api make_table() {
    mc_host_api api{};
    api.abi_major = MC_ABI_MAJOR;
    api.abi_minor = MC_ABI_MINOR;
    api.struct_size = sizeof(mc_host_api);
    api.reply = &on_reply;
    api.fail = &on_fail;
    api.log = &on_log;
    api.progress = &on_progress;
    api.cancelled = &on_cancelled;
    api.run_command = &on_run_command;
    api.http_request = &on_http_request;
    api.member_facts = &on_member_facts;
    return api;
}

}  // namespace

const mc_host_api* forwarding_host_api() {
    static const mc_host_api table = make_table();
    return &table;
}

}  // namespace microcloud::host::plugin_worker
