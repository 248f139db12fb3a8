// host/store/session_config.cpp - the config table: cluster-wide keys and their values.
#include "store/session.hpp"

#include "common/error.hpp"
#include "store/columns.hpp"

#include <algorithm>

namespace microcloud::host::store {
namespace {

// Keys are dotted words: letters, digits, '.', '-', '_'.
void check_key(const std::string& key) {
    const bool allowed = std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
               c == '_';
    });
    if (key.empty() || key.size() > 255 || !allowed) {
        throw Error("invalid_config_key",
                    "config key \"" + key + "\" is not accepted; keys are 1 to 255 of letters, digits, '.', '-', '_'",
                    {{"key", key}});
    }
}

}  // namespace

std::optional<std::string> Session::get_config(const std::string& key) {
    check_key(key);
    const cluster::Rows rows = client_.query("SELECT value FROM config WHERE key = ?", {key});
    if (rows.rows.empty()) {
        return std::nullopt;
    }
    return detail::text_at(rows.rows.front(), 0, "value");
}

void Session::set_config(const std::string& key, const std::string& value) {
    check_key(key);
    client_.exec("INSERT INTO config (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                 {key, value});
}

bool Session::unset_config(const std::string& key) {
    check_key(key);
    return client_.exec("DELETE FROM config WHERE key = ?", {key}).rows_affected > 0;
}

std::map<std::string, std::string> Session::list_config() {
    std::map<std::string, std::string> all;
    for (const cluster::Row& row : client_.query("SELECT key, value FROM config ORDER BY key").rows) {
        all.emplace(detail::text_at(row, 0, "key"), detail::text_at(row, 1, "value"));
    }
    return all;
}

}  // namespace microcloud::host::store
