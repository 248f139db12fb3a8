// host/store/session_plugin_state.cpp - the plugin_state table: one JSON document per member and
// plugin, replaced as a whole.
#include "store/session.hpp"

#include "common/error.hpp"
#include "store/columns.hpp"

#include <algorithm>

namespace microcloud::host::store {
namespace {

constexpr const char* kStateColumns = "member, plugin, state, updated_at";

void check_plugin(const std::string& member, const std::string& plugin) {
    const bool spaced =
        std::any_of(plugin.begin(), plugin.end(), [](char c) { return static_cast<unsigned char>(c) <= ' '; });
    if (plugin.empty() || spaced) {
        throw Error("invalid_plugin_state",
                    "plugin state of member \"" + member + "\": plugin name \"" + plugin +
                        "\" must be non-empty without spaces",
                    {{"member", member}, {"plugin", plugin}});
    }
}

PluginState state_from(const cluster::Row& row) {
    PluginState state{
        .member = detail::text_at(row, 0, "member"),
        .plugin = detail::text_at(row, 1, "plugin"),
        .state = nullptr,
        .updated_at = detail::time_at(row, 3, "updated_at"),
    };
    const std::string text = detail::text_at(row, 2, "state");
    try {
        state.state = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& error) {
        throw Error("store_corrupt",
                    "plugin state of plugin \"" + state.plugin + "\" on member \"" + state.member +
                        "\" is not JSON: " + error.what(),
                    {{"member", state.member}, {"plugin", state.plugin}});
    }
    return state;
}

std::vector<PluginState> states_from(const cluster::Rows& rows) {
    std::vector<PluginState> states;
    for (const cluster::Row& row : rows.rows) {
        states.push_back(state_from(row));
    }
    return states;
}

}  // namespace

void Session::put_plugin_state(const std::string& member, const std::string& plugin, const nlohmann::json& state) {
    check_plugin(member, plugin);
    // Inserting from the members row makes the write and the member's existence one statement.
    const cluster::ExecResult result = client_.exec(
        "INSERT INTO plugin_state (member, plugin, state, updated_at) SELECT name, ?, ?, ? FROM members WHERE name = ?"
        " ON CONFLICT (member, plugin) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
        {plugin, state.dump(), detail::time_value(now_()), member});
    if (result.rows_affected == 0) {
        throw Error("member_not_found",
                    "cannot store the state of plugin \"" + plugin + "\": no member named \"" + member + "\"",
                    {{"member", member}, {"plugin", plugin}});
    }
}

std::optional<PluginState> Session::get_plugin_state(const std::string& member, const std::string& plugin) {
    const cluster::Rows rows =
        client_.query("SELECT " + std::string(kStateColumns) + " FROM plugin_state WHERE member = ? AND plugin = ?",
                      {member, plugin});
    if (rows.rows.empty()) {
        return std::nullopt;
    }
    return state_from(rows.rows.front());
}

std::vector<PluginState> Session::list_plugin_states() {
    return states_from(
        client_.query("SELECT " + std::string(kStateColumns) + " FROM plugin_state ORDER BY member, plugin"));
}

std::vector<PluginState> Session::list_plugin_states(const std::string& member) {
    return states_from(client_.query(
        "SELECT " + std::string(kStateColumns) + " FROM plugin_state WHERE member = ? ORDER BY plugin", {member}));
}

}  // namespace microcloud::host::store
