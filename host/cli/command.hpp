// host/cli/command.hpp - what every CLI command receives and the table of commands.
#pragma once

#include "cli/daemon_client.hpp"
#include "common/format.hpp"

#include <functional>
#include <string>
#include <vector>

namespace microcloud::host::cli {

struct Invocation {
    std::filesystem::path state_dir;
    Format format = Format::table;
    std::vector<std::string> args;  // the command's own arguments and flags

    DaemonClient client() const { return DaemonClient(state_dir); }
};

struct Command {
    std::vector<std::string> words;  // e.g. {"plugin", "list"}
    std::string summary;
    std::function<int(const Invocation&)> run;
};

const std::vector<Command>& commands();

// Prints data in the chosen format to stdout.
void print(const Invocation& inv, const nlohmann::json& data, const Table& table);

// Each command's entry point (one file each).
int run_plugin_list(const Invocation& inv);
int run_status(const Invocation& inv);
int run_waitready(const Invocation& inv);
int run_cluster_bootstrap(const Invocation& inv);
int run_cluster_add(const Invocation& inv);
int run_cluster_join(const Invocation& inv);
int run_cluster_list(const Invocation& inv);
int run_cluster_recover(const Invocation& inv);
int run_preseed(const Invocation& inv);
int run_remove(const Invocation& inv);
int run_cluster_remove(const Invocation& inv);
int run_init(const Invocation& inv);
int run_add(const Invocation& inv);
int run_join(const Invocation& inv);
int run_shutdown(const Invocation& inv);

}  // namespace microcloud::host::cli
