// host/plugins/plugin_record.hpp - what the host knows about one plugin directory: its manifest,
// its load state (loaded, incompatible, failed, disabled) and, when loaded, the live plugin.
#pragma once

#include "plugins/manifest.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace microcloud::host::plugins {

class LoadedPlugin;

enum class PluginState { loaded, incompatible, failed, disabled };

std::string to_string(PluginState state);

struct PluginRecord {
    std::string name;                 // manifest name, or the directory name when unreadable
    std::string id;                   // manifest id (empty when unreadable)
    std::string version;              // plugin version (descriptor, else manifest)
    std::string abi;                  // "major.minor" the plugin was built with, when known
    PluginState state = PluginState::failed;
    std::string reason;               // why it is not loaded; empty when loaded
    std::filesystem::path path;       // the library file (or the directory when no manifest)
    std::vector<std::string> hooks;   // hooks the loaded plugin supports
    std::vector<std::string> unsupported_hooks;  // optional hooks it does not offer
    std::shared_ptr<Manifest> manifest;          // null when the manifest could not be read
    std::shared_ptr<LoadedPlugin> plugin;        // null unless state == loaded

    nlohmann::json to_json() const;
};

}  // namespace microcloud::host::plugins
