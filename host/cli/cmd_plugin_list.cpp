// host/cli/cmd_plugin_list.cpp - `microcloud plugin list [--all]`: every plugin the daemon found,
// or with --all every member's (which plugins each member runs, and which it leaves out).
#include "cli/command.hpp"
#include "common/error.hpp"

namespace microcloud::host::cli {

namespace {

// "plugin_crashed in join at 2026-12-01T07:30:00Z (2 times)": the worker's last failure.
std::string last_crash(const nlohmann::json& plugin) {
    const auto it = plugin.find("last_crash");
    if (it == plugin.end() || !it->is_object()) return "";
    const int count = it->value("count", 0);
    return it->value("code", "") + " in " + it->value("hook", "") + " at " + it->value("at", "") + " (" +
           std::to_string(count) + (count == 1 ? " time)" : " times)");
}

std::vector<std::string> cells(const nlohmann::json& p) {
    return {p.value("name", ""), p.value("version", ""), p.value("abi", ""), p.value("state", ""),
            p.value("reason", ""), last_crash(p)};
}

}  // namespace

int run_plugin_list(const Invocation& inv) {
    bool all = false;
    for (const auto& arg : inv.args) {
        if (arg != "--all")
            throw Error("invalid_arguments", "Unexpected argument \"" + arg + "\" for plugin list (accepted: --all)");
        all = true;
    }
    const DaemonClient client = inv.client();
    if (!all) {
        const nlohmann::json plugins = client.get("/1.0/plugins");
        Table table{{"NAME", "VERSION", "ABI", "STATE", "REASON", "LAST CRASH"}, {}};
        for (const auto& p : plugins) table.rows.push_back(cells(p));
        print(inv, plugins, table);
        return 0;
    }
    // --all: every member's plugins (which it runs, which it leaves out), asked over mTLS.
    nlohmann::json out = nlohmann::json::array();
    Table table{{"MEMBER", "NAME", "VERSION", "ABI", "STATE", "REASON", "LAST CRASH"}, {}};
    for (const auto& member : client.get("/1.0/cluster")) {
        const std::string name = member.value("name", "");
        nlohmann::json plugins;
        try {
            plugins = client.get("/1.0/plugins?target=" + name);
        } catch (const Error& error) {
            out.push_back({{"member", name}, {"error", error.what()}});
            table.rows.push_back({name, "-", "-", "unknown", error.what(), ""});
            continue;
        }
        for (auto p : plugins) {
            std::vector<std::string> row = cells(p);
            row.insert(row.begin(), name);
            table.rows.push_back(std::move(row));
            p["member"] = name;
            out.push_back(std::move(p));
        }
    }
    print(inv, out, table);
    return 0;
}

}  // namespace microcloud::host::cli
