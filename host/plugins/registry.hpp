// host/plugins/registry.hpp - finds plugin directories, reads manifests, checks ABIs, loads the
// compatible plugins and remembers why the others were not loaded. A bad plugin never stops it.
#pragma once

#include "plugins/loaded_plugin.hpp"
#include "plugins/plugin_record.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <chrono>
#include <memory>
#include <stop_token>
#include <thread>
#include <set>
#include <string>
#include <vector>

namespace microcloud::host::plugins {

struct ScanOptions {
    std::vector<std::filesystem::path> dirs;  // searched in order; each holds <name>/manifest.json
    std::set<std::string> disabled;           // plugin names left out
    nlohmann::json config = nlohmann::json::object();  // plugin name -> its config object
    WorkerSettings worker;                     // how plugin worker processes are run
    std::chrono::seconds idle_stop{300};       // a worker idle this long is stopped (0: never)
};

class Registry {
public:
    explicit Registry(const HostServices& services);
    ~Registry();
    Registry(const Registry&) = delete;
    Registry& operator=(const Registry&) = delete;

    // Scans every directory (sorted by name within a directory) and loads what is compatible.
    // The first plugin with a given id or name wins; later ones are recorded as failed.
    void scan(const ScanOptions& options);

    const std::vector<PluginRecord>& records() const { return records_; }
    // The loaded plugin with this name, or null.
    std::shared_ptr<LoadedPlugin> find(std::string_view name) const;
    // Every loaded plugin, in scan order.
    std::vector<std::shared_ptr<LoadedPlugin>> loaded() const;

private:
    PluginRecord load_one(const std::filesystem::path& dir, const ScanOptions& options) const;

    void stop_idle_workers(std::stop_token stop, std::chrono::seconds idle) const;

    const HostServices& services_;
    std::vector<PluginRecord> records_;
    std::jthread janitor_;  // stops idle workers; started by scan, last member so it stops first
};

// The plugin search path: explicit dirs, then MICROCLOUD_PLUGIN_PATH (colon-separated), then
// the default <exe dir>/../lib/microcloud/plugins.
std::vector<std::filesystem::path> plugin_search_path(const std::vector<std::filesystem::path>& explicit_dirs);

}  // namespace microcloud::host::plugins
