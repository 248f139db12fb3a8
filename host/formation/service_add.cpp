// host/formation/service_add.cpp - forming components on a running cloud.
#include "formation/service_add.hpp"

#include "common/error.hpp"
#include "formation/preseed.hpp"
#include "formation/preseed_disks.hpp"

#include <algorithm>

namespace microcloud::host::formation {

nlohmann::json add_services(const PreseedContext& context, const std::set<std::string>& services,
                            const nlohmann::json& setup) {
    if (!context.membership.clustered())
        throw Error("not_clustered", "MicroCloud is uninitialized, run 'microcloud init' first");
    if (services.empty())
        throw Error("invalid_services", "No service to add: name at least one", {{"field", "services"}});
    std::string loaded;
    for (const auto& plugin : context.components) loaded += (loaded.empty() ? "" : ", ") + plugin.name;
    for (const auto& name : services)
        if (std::none_of(context.components.begin(), context.components.end(),
                         [&](const ComponentPlugin& plugin) { return plugin.name == name; }))
            throw Error("invalid_services",
                        "Service \"" + name + "\" is not a plugin loaded on " + context.name + " (loaded: " + loaded + ")",
                        {{"field", "services"}, {"value", name}});
    ComponentRun run = component_run(context, {}, false, nlohmann::json::object(), context.progress);
    run.adding = services;
    if (setup.is_object()) {
        std::set<std::string> plugin_sections;
        for (const auto& plugin : context.components)
            if (!plugin.config_section.empty()) plugin_sections.insert(plugin.config_section);
        const Preseed answers = parse_preseed(setup.dump(), plugin_sections);
        run.config = answers.document;
        run.disks = choose_disks(
            answers, run.members, true,
            [&membership = context.membership](const std::string& member) { return membership.member_facts(member); },
            context.progress ? context.progress : [](const std::string&) {});
    }
    return run_components(run);
}

}  // namespace microcloud::host::formation
