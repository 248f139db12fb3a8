// host/plugins/plugin_record.cpp - text and JSON forms of plugin records (for `plugin list`).
#include "plugins/plugin_record.hpp"

#include "plugins/loaded_plugin.hpp"

namespace microcloud::host::plugins {

std::string to_string(PluginState state) {
    switch (state) {
        case PluginState::loaded: return "loaded";
        case PluginState::incompatible: return "incompatible";
        case PluginState::failed: return "failed";
        case PluginState::disabled: return "disabled";
    }
    return "failed";
}

nlohmann::json PluginRecord::to_json() const {
    nlohmann::json out{{"name", name},
                       {"id", id},
                       {"version", version},
                       {"abi", abi},
                       {"state", to_string(state)},
                       {"reason", reason},
                       {"path", path.string()},
                       {"hooks", hooks},
                       {"unsupported_hooks", unsupported_hooks}};
    if (plugin) {
        out["last_crash"] = plugin->last_crash();  // null until its worker crashed, hung or ran out of memory
        out["worker_pid"] = plugin->worker_pid();  // 0 while no worker runs (stopped when idle)
    }
    if (manifest) {
        out["component"] = manifest->component;
        out["after"] = manifest->after;
        out["provides"] = manifest->provides;
        out["config_section"] = manifest->config_section;
    }
    return out;
}

}  // namespace microcloud::host::plugins
