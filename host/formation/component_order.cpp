// host/formation/component_order.cpp - layered topological order (Kahn) over the plugins.
#include "formation/component_order.hpp"

#include "common/error.hpp"

#include <set>

namespace microcloud::host::formation {

std::vector<std::vector<std::string>> plan_waves(const std::map<std::string, std::vector<std::string>>& after) {
    std::map<std::string, std::set<std::string>> waiting_for;
    for (const auto& [plugin, before] : after) {
        auto& deps = waiting_for[plugin];
        for (const auto& other : before)
            if (other != plugin && after.contains(other)) deps.insert(other);
    }
    std::vector<std::vector<std::string>> waves;
    while (!waiting_for.empty()) {
        std::vector<std::string> wave;
        for (const auto& [plugin, deps] : waiting_for)
            if (deps.empty()) wave.push_back(plugin);
        if (wave.empty()) {
            std::string stuck;
            for (const auto& [plugin, deps] : waiting_for) stuck += (stuck.empty() ? "" : ", ") + plugin;
            throw Error("invalid_plugin_order",
                        "The plugins' \"after\" lists form a cycle among: " + stuck +
                            " (fix the manifests so each names only plugins that come earlier)",
                        {{"plugins", stuck}});
        }
        for (const auto& plugin : wave) waiting_for.erase(plugin);
        for (auto& [plugin, deps] : waiting_for)
            for (const auto& done : wave) deps.erase(done);
        waves.push_back(std::move(wave));
    }
    return waves;
}

}  // namespace microcloud::host::formation
