// host/cli/cmd_plugin_list.cpp - `microcloud plugin list`: every plugin the daemon found.
#include "cli/command.hpp"
#include "common/error.hpp"

namespace microcloud::host::cli {

int run_plugin_list(const Invocation& inv) {
    if (!inv.args.empty())
        throw Error("invalid_arguments", "Unexpected argument \"" + inv.args.front() + "\" for plugin list");
    const nlohmann::json plugins = inv.client().get("/1.0/plugins");
    Table table{{"NAME", "VERSION", "ABI", "STATE", "REASON", "LAST CRASH"}, {}};
    for (const auto& p : plugins) {
        // "plugin_crashed in join at 2026-12-01T07:30:00Z (2 times)": the worker's last failure.
        std::string crash;
        if (const auto it = p.find("last_crash"); it != p.end() && it->is_object())
            crash = it->value("code", "") + " in " + it->value("hook", "") + " at " + it->value("at", "") + " (" +
                    std::to_string(it->value("count", 0)) + (it->value("count", 0) == 1 ? " time)" : " times)");
        table.rows.push_back({p.value("name", ""), p.value("version", ""), p.value("abi", ""), p.value("state", ""),
                              p.value("reason", ""), crash});
    }
    print(inv, plugins, table);
    return 0;
}

}  // namespace microcloud::host::cli
