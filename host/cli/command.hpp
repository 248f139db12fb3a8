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
    bool color = false;  // bold table headers: a terminal, without --no-color or NO_COLOR
    std::vector<std::string> args;  // the command's own arguments and flags

    DaemonClient client() const { return DaemonClient(state_dir); }
};

struct Command {
    std::vector<std::string> words;  // e.g. {"plugin", "list"}
    std::string summary;
    std::function<int(const Invocation&)> run;
    bool takes_dash_f = false;  // -f is the command's own flag (remove's --force), not --format
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
int run_tokens_list(const Invocation& inv);
int run_tokens_revoke(const Invocation& inv);
int run_sql(const Invocation& inv);
int run_service_list(const Invocation& inv);
int run_service_add(const Invocation& inv);

}  // namespace microcloud::host::cli
