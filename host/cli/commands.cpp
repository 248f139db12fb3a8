// host/cli/commands.cpp - the table of CLI commands and the shared printing helper.
#include "cli/command.hpp"

#include <iostream>

namespace microcloud::host::cli {

const std::vector<Command>& commands() {
    static const std::vector<Command> table = {
        {{"plugin", "list"}, "List plugins and whether they loaded", &run_plugin_list},
        {{"status"}, "Show the members and what each plugin discovered", &run_status},
        {{"waitready"}, "Wait until microcloudd is ready (--timeout S)", &run_waitready},
    };
    return table;
}

void print(const Invocation& inv, const nlohmann::json& data, const Table& table) {
    std::cout << render(data, table, inv.format);
    std::cout.flush();
}

}  // namespace microcloud::host::cli
