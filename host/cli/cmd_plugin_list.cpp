// host/cli/cmd_plugin_list.cpp - `microcloud plugin list`: every plugin the daemon found.
#include "cli/command.hpp"
#include "common/error.hpp"

namespace microcloud::host::cli {

int run_plugin_list(const Invocation& inv) {
    if (!inv.args.empty())
        throw Error("invalid_arguments", "Unexpected argument \"" + inv.args.front() + "\" for plugin list");
    const nlohmann::json plugins = inv.client().get("/1.0/plugins");
    Table table{{"NAME", "VERSION", "ABI", "STATE", "REASON"}, {}};
    for (const auto& p : plugins)
        table.rows.push_back({p.value("name", ""), p.value("version", ""), p.value("abi", ""), p.value("state", ""),
                              p.value("reason", "")});
    print(inv, plugins, table);
    return 0;
}

}  // namespace microcloud::host::cli
