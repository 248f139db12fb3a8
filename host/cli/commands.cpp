// host/cli/commands.cpp - the table of CLI commands and the shared printing helper.
#include "cli/command.hpp"

#include <iostream>

namespace microcloud::host::cli {

const std::vector<Command>& commands() {
    static const std::vector<Command> table = {
        {{"plugin", "list"}, "List plugins and whether they loaded (--all: on every member)", &run_plugin_list},
        {{"status"}, "Show the members and what each plugin discovered (--refresh: discover afresh)", &run_status},
        {{"cluster", "bootstrap"},
         "Start a new cluster with this member (--address IP[:PORT])",
         &run_cluster_bootstrap},
        {{"cluster", "add"}, "Issue a join token for the member NAME", &run_cluster_add},
        {{"cluster", "join"}, "Join a cluster with a token (TOKEN --address IP[:PORT])", &run_cluster_join},
        {{"cluster", "list"}, "List the cluster members, their roles and status", &run_cluster_list},
        {{"cluster", "remove"},
         "Remove the member NAME from the cluster (--force/-f: also when it does not answer)",
         &run_cluster_remove,
         true},
        {{"cluster", "recover"},
         "After a lost quorum: make this member the only voter (microcloudd stopped; --yes)",
         &run_cluster_recover},
        {{"init"}, "Set up MicroCloud interactively: this machine initiates, others run join", &run_init},
        {{"add"}, "Add systems to the cluster interactively (they run join)", &run_add},
        {{"join"}, "Join the cluster another machine initiates (asks the passphrase)", &run_join},
        {{"preseed"}, "Form or grow the cluster from a preseed file on stdin (--dry-run: check only)", &run_preseed},
        {{"remove"}, "Remove the member NAME from every component, then the cluster (--force/-f)", &run_remove, true},
        {{"service", "list"}, "List each component's members, their roles and status", &run_service_list},
        {{"service", "add"}, "Form components enabled after the cloud was formed, on every member", &run_service_add},
        {{"tokens", "list"}, "List the join tokens that can still be used", &run_tokens_list},
        {{"tokens", "revoke"}, "Revoke the join tokens of the joiner NAME", &run_tokens_revoke},
        {{"sql"}, "Run SQL (or .schema) on the cluster database, for debugging (\"-\": from stdin)", &run_sql},
        {{"shutdown"}, "Stop microcloudd on this machine (it stays a member)", &run_shutdown},
        {{"waitready"}, "Wait until microcloudd is ready (--timeout S)", &run_waitready},
    };
    return table;
}

void print(const Invocation& inv, const nlohmann::json& data, const Table& table) {
    std::cout << render(data, table, inv.format, inv.color);
    std::cout.flush();
}

}  // namespace microcloud::host::cli
