// host/plugins/loaded_plugin.cpp - calls a plugin's hooks in its worker process, one at a time,
// serving host services meanwhile; turns whatever the plugin answered, or how its worker ended,
// into a HookResult. Deadlines and memory limits come from the manifest or the host's defaults.
#include "plugins/loaded_plugin.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <ctime>
#include <future>

namespace microcloud::host::plugins {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr auto kStartDeadline = std::chrono::seconds(60);  // loading the library, creating the instance
constexpr auto kReapGrace = std::chrono::milliseconds(2000);

HookResult failure(std::string code, std::string message, json details = nullptr) {
    HookResult r;
    r.code = std::move(code);
    r.message = std::move(message);
    r.details = std::move(details);
    return r;
}

std::string utc_now() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&now, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

// The answer of a finished hook ({"t":"done",...}) as a HookResult.
HookResult from_done(const json& done, const std::string& where) {
    if (done.value("failed", false) || done.value("status", 1) != MC_STATUS_OK) {
        if (!done.value("failed", false))
            return failure("plugin_no_answer", "The " + where + " failed without saying why");
        json details = nullptr;
        const std::string text = done.value("details", "");
        if (!text.empty()) {
            details = json::parse(text, nullptr, false);
            if (details.is_discarded()) details = text;
        }
        const std::string code = done.value("code", "");
        return failure(code.empty() ? "plugin_error" : code, done.value("message", ""), details);
    }
    if (!done.value("replied", false)) return failure("plugin_no_answer", "The " + where + " returned without a reply");
    json value = json::parse(done.value("reply", ""), nullptr, false);
    if (value.is_discarded()) return failure("plugin_bad_reply", "The " + where + " replied with text that is not JSON");
    HookResult ok;
    ok.ok = true;
    ok.value = std::move(value);
    return ok;
}

}  // namespace

std::string_view to_string(Hook hook) { return hook_info(hook).name; }

std::optional<Hook> parse_hook(std::string_view name) { return hook_named(name); }

const std::vector<Hook>& all_hooks() {
    static const std::vector<Hook> hooks = [] {
        std::vector<Hook> out;
        for (const HookInfo& h : kHooks) out.push_back(h.hook);
        return out;
    }();
    return hooks;
}

bool is_required(Hook hook) { return hook_info(hook).required; }

std::chrono::seconds default_deadline(Hook hook) {
    switch (hook) {
        case Hook::discover:
        case Hook::validate: return std::chrono::seconds(120);
        case Hook::status: return std::chrono::seconds(60);
        case Hook::issue_token: return std::chrono::seconds(300);
        case Hook::join:
        case Hook::configure:
        case Hook::teardown: return std::chrono::seconds(3600);
    }
    return std::chrono::seconds(120);
}

json HookResult::to_json() const {
    if (ok) return {{"ok", true}, {"result", value}};
    json error{{"code", code}, {"message", message}};
    if (!details.is_null()) error["details"] = details;
    return {{"ok", false}, {"error", error}};
}

LoadedPlugin::LoadedPlugin(Manifest manifest, json config, const HostServices& services, WorkerSettings settings)
    : manifest_(std::move(manifest)), config_text_(config.dump()), services_(services), settings_(std::move(settings)) {
    if (manifest_.memory_limit_mb > 0) settings_.memory_limit_mb = manifest_.memory_limit_mb;
}

LoadedPlugin::~LoadedPlugin() = default;

Described LoadedPlugin::describe() {
    std::lock_guard lock(mutex_);
    return describe_locked();
}

std::string LoadedPlugin::create() {
    std::lock_guard lock(mutex_);
    return create_locked();
}

Described LoadedPlugin::describe_locked() const {
    Described out;
    try {
        worker_ = std::make_unique<WorkerProcess>(settings_.program, settings_.memory_limit_mb);
    } catch (const std::exception& e) {
        out.failure = e.what();
        return out;
    }
    pid_ = worker_->pid();
    const std::string file = manifest_.library_path().string();
    worker_->send({{"t", "load"}, {"library", file}});
    wire::Frame frame = worker_->read(Clock::now() + kStartDeadline);
    if (frame.status != wire::ReadStatus::ok) {
        if (frame.status == wire::ReadStatus::timed_out) worker_->kill();
        out.failure = "Plugin '" + file + "' could not be loaded: its worker process " +
                      worker_->reap(kReapGrace).describe() + " while loading it";
        worker_.reset();
        pid_ = 0;
        return out;
    }
    if (frame.message.value("t", "") != "described") {
        out.failure = frame.message.value("message", "the worker did not describe the plugin");
        worker_.reset();
        pid_ = 0;
        return out;
    }
    out.ok = true;
    out.facts = frame.message;
    if (hooks_.empty())
        for (const json& name : out.facts.value("hooks", json::array()))
            if (name.is_string())
                if (auto hook = hook_named(name.get<std::string>())) hooks_.push_back(*hook);
    return out;
}

std::string LoadedPlugin::create_locked() const {
    if (!worker_) return "its worker process is not running";
    worker_->send({{"t", "create"}, {"config", config_text_}});
    wire::Frame frame = worker_->read(Clock::now() + kStartDeadline);
    std::string why;
    if (frame.status != wire::ReadStatus::ok) {
        if (frame.status == wire::ReadStatus::timed_out) worker_->kill();
        why = "its worker process " + worker_->reap(kReapGrace).describe() + " in create";
    } else if (frame.message.value("t", "") != "created") {
        why = frame.message.value("message", "no reason given");
    }
    if (!why.empty()) {
        worker_.reset();
        pid_ = 0;
    }
    last_used_ = Clock::now();
    return why;
}

std::string LoadedPlugin::start_worker() const {
    // Same steps as at load time, on the same library; the descriptor was checked then.
    const Described described = describe_locked();
    if (!described.ok) return described.failure;
    if (described.facts.value("id", "") != manifest_.id) {
        worker_.reset();
        pid_ = 0;
        return "its library is no longer plugin '" + manifest_.id + "'";
    }
    return create_locked();
}

bool LoadedPlugin::supports(Hook hook) const {
    for (Hook h : hooks_)
        if (h == hook) return true;
    return false;
}

std::chrono::seconds LoadedPlugin::deadline(Hook hook) const {
    auto it = manifest_.deadlines.find(std::string(to_string(hook)));
    return it != manifest_.deadlines.end() ? std::chrono::seconds(it->second) : default_deadline(hook);
}

HookResult LoadedPlugin::remember_crash(Hook hook, HookResult result) const {
    spdlog::error("plugin {}: {}: {}", manifest_.name, result.code, result.message);
    std::lock_guard lock(crash_mutex_);
    last_crash_ = {{"hook", to_string(hook)},
                   {"code", result.code},
                   {"message", result.message},
                   {"at", utc_now()},
                   {"count", ++crash_count_}};
    return result;
}

json LoadedPlugin::last_crash() const {
    std::lock_guard lock(crash_mutex_);
    return last_crash_;
}

pid_t LoadedPlugin::worker_pid() const { return pid_; }

bool LoadedPlugin::retire_if_idle(Clock::duration idle) const {
    std::unique_lock lock(mutex_, std::try_to_lock);
    if (!lock.owns_lock() || !worker_ || Clock::now() - last_used_ < idle) return false;
    worker_->send({{"t", "stop"}});
    worker_.reset();
    pid_ = 0;
    spdlog::debug("plugin {}: idle worker stopped", manifest_.name);
    return true;
}

HookResult LoadedPlugin::call(Hook hook, const json& input, const CallObserver& observer,
                              std::optional<std::chrono::seconds> cap) const {
    const std::string hook_name(to_string(hook));
    if (!supports(hook))
        return failure("unsupported", "Plugin '" + manifest_.name + "' does not support the '" + hook_name + "' hook");

    std::unique_lock lock(mutex_);
    last_used_ = Clock::now();
    const std::string where = "plugin '" + manifest_.name + "', hook '" + hook_name + "'";
    const json about{{"plugin", manifest_.name}, {"hook", hook_name}};
    if (!worker_) {
        if (std::string why = start_worker(); !why.empty())
            return failure("plugin_failed_to_start",
                           "The " + where + " could not run: the plugin could not be started again: " + why, about);
    }

    const std::chrono::seconds limit = cap ? std::min(*cap, deadline(hook)) : deadline(hook);
    const Clock::time_point until = Clock::now() + limit;
    std::atomic<bool> abandoned{false};
    const auto cancelled = [&abandoned, &observer] {
        return abandoned.load() || (observer.cancelled && observer.cancelled());
    };
    std::vector<std::future<void>> services;
    const auto finish_services = [&] {
        abandoned = true;  // commands still running for this call are cancelled
        for (auto& service : services) service.wait();
    };
    std::string uncaught;

    worker_->send({{"t", "call"}, {"hook", hook_name}, {"input", input.dump()}});
    for (;;) {
        wire::Frame frame = worker_->read(until);
        if (frame.status == wire::ReadStatus::timed_out) {
            worker_->kill();
            finish_services();
            worker_->reap(kReapGrace);
            worker_.reset();
            pid_ = 0;
            json details = about;
            details["deadline_seconds"] = limit.count();
            return remember_crash(
                hook, failure("plugin_timeout",
                              "The " + where + " did not finish within " + std::to_string(limit.count()) +
                                  " s; its worker process was stopped and the next call starts a fresh one",
                              details));
        }
        if (frame.status != wire::ReadStatus::ok) {
            if (frame.status == wire::ReadStatus::malformed) worker_->kill();
            finish_services();
            const WorkerEnding ending = worker_->reap(kReapGrace);
            worker_.reset();
            pid_ = 0;
            json details = about;
            if (ending.known && !ending.signaled && ending.exit_code == wire::kExitOutOfMemory) {
                details["memory_limit_mb"] = settings_.memory_limit_mb;
                return remember_crash(
                    hook, failure("plugin_out_of_memory",
                                  "The " + where + " ran out of memory (limit " + std::to_string(settings_.memory_limit_mb) +
                                      " MiB); its worker process ended and the next call starts a fresh one",
                                  details));
            }
            std::string what;
            if (frame.status == wire::ReadStatus::malformed) {
                what = "its worker process broke the wire protocol and was stopped";
            } else if (!uncaught.empty() || (!ending.signaled && ending.exit_code == wire::kExitUncaughtException)) {
                what = "an exception escaped the plugin: " + (uncaught.empty() ? std::string("unknown") : uncaught);
                details["exception"] = uncaught;
            } else {
                what = "its worker process " + ending.describe();
                if (ending.signaled) details["signal"] = ending.signal_name();
                else details["exit_code"] = ending.exit_code;
            }
            return remember_crash(hook, failure("plugin_crashed",
                                                "The " + where + " crashed: " + what +
                                                    "; the next call starts a fresh instance",
                                                details));
        }

        const json& m = frame.message;
        const std::string type = m.value("t", "");
        if (type == "done") {
            finish_services();
            last_used_ = Clock::now();
            return from_done(m, where);
        }
        if (type == "svc") {
            ServiceRequest request{manifest_.name, hook_name, m.value("kind", ""), m.value("request", ""), cancelled};
            const json id = m.value("id", json(0));
            if (request.kind == "cancelled") {  // quick: answered in line
                const ServiceAnswer answer = services_.serve(request);
                worker_->send({{"t", "svc_reply"}, {"id", id}, {"status", answer.status}, {"output", answer.output}});
                continue;
            }
            WorkerProcess* worker = worker_.get();
            services.push_back(std::async(std::launch::async, [this, worker, request = std::move(request), id] {
                const ServiceAnswer answer = services_.serve(request);
                worker->send({{"t", "svc_reply"}, {"id", id}, {"status", answer.status}, {"output", answer.output}});
            }));
        } else if (type == "log") {
            const int level = m.value("level", 1);
            const auto lvl = level <= 0 ? spdlog::level::debug
                             : level == 1 ? spdlog::level::info
                             : level == 2 ? spdlog::level::warn
                                          : spdlog::level::err;
            spdlog::log(lvl, "[{}/{}] {}", manifest_.name, hook_name, m.value("message", ""));
        } else if (type == "progress") {
            const std::string step = m.value("step", "");
            const auto done = m.value("done", std::uint64_t{0});
            const auto total = m.value("total", std::uint64_t{0});
            spdlog::debug("[{}/{}] progress {}: {}/{}", manifest_.name, hook_name, step, done, total);
            if (observer.progress) {
                try {
                    observer.progress(step, done, total);
                } catch (const std::exception& e) {
                    spdlog::warn("[{}/{}] progress observer failed: {}", manifest_.name, hook_name, e.what());
                }
            }
        } else if (type == "uncaught") {
            uncaught = m.value("message", "");
        }
    }
}

}  // namespace microcloud::host::plugins
