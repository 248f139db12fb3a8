// host/plugins/loaded_plugin.hpp - one plugin as the daemon holds it: its library runs in a worker
// process of its own (worker_process.hpp), started when the plugin is loaded, started afresh
// after it crashed, hung past a deadline or ran out of memory, and stopped when idle. Calls its
// hooks across that process and serves the host services the hooks ask for meanwhile.
#pragma once

#include "plugins/hook_table.hpp"
#include "plugins/host_services.hpp"
#include "plugins/manifest.hpp"
#include "plugins/worker_process.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace microcloud::host::plugins {

std::string_view to_string(Hook hook);
std::optional<Hook> parse_hook(std::string_view name);
const std::vector<Hook>& all_hooks();
bool is_required(Hook hook);

// The host's deadline for a hook when the manifest gives none.
std::chrono::seconds default_deadline(Hook hook);

struct HookResult {
    bool ok = false;
    nlohmann::json value;     // the plugin's reply (when ok)
    std::string code;         // stable error code (when !ok)
    std::string message;      // human message (when !ok)
    nlohmann::json details;   // optional structured details (when !ok)

    nlohmann::json to_json() const;  // {"ok":..., "result":...} or {"ok":false,"error":{...}}
};

// How the daemon runs plugin workers.
struct WorkerSettings {
    std::filesystem::path program = default_worker_program();
    std::uint64_t memory_limit_mb = 2048;  // when the manifest gives none
};

// The worker's answer to "load": what the library's descriptor says (see worker_wire frames).
struct Described {
    bool ok = false;
    std::string failure;      // why it could not be loaded (when !ok)
    nlohmann::json facts;     // {"abi_major","abi_minor","struct_size","id","version","has_create",
                              //  "has_destroy","hooks":[...]} (when ok)
};

class LoadedPlugin {
public:
    LoadedPlugin(Manifest manifest, nlohmann::json config, const HostServices& services, WorkerSettings settings);
    ~LoadedPlugin();
    LoadedPlugin(const LoadedPlugin&) = delete;
    LoadedPlugin& operator=(const LoadedPlugin&) = delete;

    // Starts the worker and has it load the library (no plugin instance yet).
    Described describe();
    // Creates the instance in the described worker; "" on success, else why not.
    std::string create();

    const std::string& name() const { return manifest_.name; }
    bool supports(Hook hook) const;
    std::chrono::seconds deadline(Hook hook) const;
    // Calls a hook. An unsupported hook gives code "unsupported"; a plugin that does not answer
    // "plugin_no_answer"; a worker that dies "plugin_crashed" (details: signal) or
    // "plugin_out_of_memory"; one that overruns the hook's deadline "plugin_timeout". After any
    // of those the next call starts a fresh worker and instance. Never throws for plugin misbehaviour.
    // `cap`, when given, shortens the hook's deadline for this call (e.g. for a status query).
    HookResult call(Hook hook, const nlohmann::json& input, const CallObserver& observer = {},
                    std::optional<std::chrono::seconds> cap = std::nullopt) const;

    // The last crash, timeout or out-of-memory ({"hook","code","message","at","count"}), or null.
    nlohmann::json last_crash() const;
    // Stops the worker when no call ran for `idle` (skipped while a call runs). True if stopped.
    bool retire_if_idle(std::chrono::steady_clock::duration idle) const;
    // The worker's pid, or 0 when none runs.
    pid_t worker_pid() const;

private:
    // These three need mutex_ held.
    Described describe_locked() const;
    std::string create_locked() const;
    std::string start_worker() const;  // "" or why not
    HookResult remember_crash(Hook hook, HookResult result) const;

    Manifest manifest_;
    std::string config_text_;
    const HostServices& services_;
    WorkerSettings settings_;
    mutable std::vector<Hook> hooks_;  // set by the first describe, read-only after

    mutable std::mutex mutex_;  // one call at a time per plugin, as the SDK promises
    mutable std::unique_ptr<WorkerProcess> worker_;
    mutable std::chrono::steady_clock::time_point last_used_;
    mutable std::atomic<pid_t> pid_{0};
    mutable std::mutex crash_mutex_;
    mutable nlohmann::json last_crash_;
    mutable unsigned crash_count_ = 0;
};

}  // namespace microcloud::host::plugins
