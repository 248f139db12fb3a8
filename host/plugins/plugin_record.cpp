// host/plugins/plugin_record.cpp - text and JSON forms of plugin records (for `plugin list`).
#include "plugins/plugin_record.hpp"

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
    if (manifest) {
        out["component"] = manifest->component;
        out["after"] = manifest->after;
        out["provides"] = manifest->provides;
        out["config_section"] = manifest->config_section;
    }
    return out;
}

}  // namespace microcloud::host::plugins
