// host/plugins/loaded_plugin.hpp - one plugin library loaded and instantiated: calls its hooks
// through the C ABI and turns the answer into a HookResult. The library stays loaded for as long
// as this object (and so the daemon) lives.
#pragma once

#include <microcloud/sdk/plugin.h>

#include <nlohmann/json.hpp>

#include <boost/dll/shared_library.hpp>

#include <cstring>
#include <functional>
#include <mutex>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace microcloud::host::plugins {

enum class Hook { discover, validate, join, teardown, issue_token, configure, status };

std::string_view to_string(Hook hook);
std::optional<Hook> parse_hook(std::string_view name);
const std::vector<Hook>& all_hooks();
bool is_required(Hook hook);

struct HookResult {
    bool ok = false;
    nlohmann::json value;     // the plugin's reply (when ok)
    std::string code;         // stable error code (when !ok)
    std::string message;      // human message (when !ok)
    nlohmann::json details;   // optional structured details (when !ok)

    nlohmann::json to_json() const;  // {"ok":..., "result":...} or {"ok":false,"error":{...}}
};

// Receives progress and log lines of one call; the daemon routes them to its log and to clients.
struct CallObserver {
    std::function<void(std::string_view step, std::uint64_t done, std::uint64_t total)> progress;
    std::function<bool()> cancelled;
};

class HostServices;

class LoadedPlugin {
public:
    // Takes ownership of the library; `instance` was created by descriptor->create.
    LoadedPlugin(std::string name, boost::dll::shared_library library,
                 const mc_plugin_descriptor* descriptor, void* instance, const HostServices& services);
    ~LoadedPlugin();
    LoadedPlugin(const LoadedPlugin&) = delete;
    LoadedPlugin& operator=(const LoadedPlugin&) = delete;

    const std::string& name() const { return name_; }
    bool supports(Hook hook) const;
    // Calls a hook. An unsupported hook gives code "unsupported"; a plugin that does not answer
    // gives "plugin_no_answer". Never throws for plugin misbehaviour.
    HookResult call(Hook hook, const nlohmann::json& input, const CallObserver& observer = {}) const;

private:
    mc_hook_fn hook_fn(Hook hook) const;

    std::string name_;
    boost::dll::shared_library library_;
    const mc_plugin_descriptor* descriptor_;
    void* instance_;
    const HostServices& services_;
    mutable std::mutex mutex_;
};

}  // namespace microcloud::host::plugins
