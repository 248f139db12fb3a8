// host/plugin_worker/plugin_host.hpp - what the worker process does with its one plugin: loads the
// library (Boost.DLL), describes its descriptor to the daemon, creates the instance and runs one
// hook at a time on a thread of its own, so the main thread keeps reading the daemon's frames.
#pragma once

#include "plugin_worker/daemon_link.hpp"

#include <microcloud/sdk/plugin.h>

#include <boost/dll/shared_library.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <string>
#include <thread>

namespace microcloud::host::plugin_worker {

class PluginHost {
public:
    explicit PluginHost(DaemonLink& link) : link_(link) {}
    ~PluginHost();
    PluginHost(const PluginHost&) = delete;
    PluginHost& operator=(const PluginHost&) = delete;

    // {"t":"load","library":PATH} -> {"t":"described",...} or {"t":"load_failed","message"}.
    nlohmann::json load(const std::string& library);
    // {"t":"create","config":TEXT} -> {"t":"created"} or {"t":"create_failed","message"}.
    nlohmann::json create(const std::string& config_text);
    // {"t":"call","hook":NAME,"input":TEXT}: runs the hook on the call thread, which sends
    // {"t":"done",...} when it returns.
    void start_call(const std::string& hook, std::string input);
    // True while a hook runs.
    bool busy() const;
    // Destroys the instance (only between calls).
    void destroy();

private:
    void run_call(mc_hook_fn fn, std::string input);

    DaemonLink& link_;
    boost::dll::shared_library library_;
    const mc_plugin_descriptor* descriptor_ = nullptr;
    void* instance_ = nullptr;
    std::thread call_thread_;
    std::atomic<bool> busy_{false};
};

}  // namespace microcloud::host::plugin_worker
