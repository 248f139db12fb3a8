// host/store/sql_console.cpp - `microcloud sql`: statements split and run one by one, results as JSON.
#include "store/sql_console.hpp"

#include "common/error.hpp"

#include <algorithm>
#include <cctype>
#include <type_traits>

namespace microcloud::host::store {
namespace {

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// The first word of a statement, upper-cased.
std::string verb_of(const std::string& statement) {
    std::string verb;
    for (const char c : statement) {
        if (!std::isalpha(static_cast<unsigned char>(c))) break;
        verb += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return verb;
}

nlohmann::json json_of(const cluster::Value& value) {
    return std::visit(
        [](const auto& v) -> nlohmann::json {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, cluster::Null>) return nullptr;
            else if constexpr (std::is_same_v<T, cluster::UnixTime>) return v.seconds;
            else if constexpr (std::is_same_v<T, cluster::Iso8601>) return v.text;
            else if constexpr (std::is_same_v<T, cluster::Blob>) return "<blob of " + std::to_string(v.size()) + " bytes>";
            else return v;
        },
        value);
}

}  // namespace

std::vector<std::string> split_statements(const std::string& text) {
    std::vector<std::string> statements;
    std::string current;
    char quote = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quote != 0) {
            current += c;
            if (c == quote) quote = 0;  // a doubled quote reopens at once: '' stays inside
            continue;
        }
        if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
            const auto end = text.find('\n', i);
            i = end == std::string::npos ? text.size() : end;
            current += '\n';
            continue;
        }
        if (c == ';') {
            if (!trimmed(current).empty()) statements.push_back(trimmed(current));
            current.clear();
            continue;
        }
        if (c == '\'' || c == '"') quote = c;
        current += c;
    }
    if (!trimmed(current).empty()) statements.push_back(trimmed(current));
    return statements;
}

nlohmann::json run_sql(cluster::Client& client, const std::string& text) {
    if (trimmed(text) == ".schema") {
        std::string dump;
        for (const cluster::Row& row :
             client.query("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type DESC, name").rows)
            if (!row.empty() && std::holds_alternative<std::string>(row[0]))
                dump += std::get<std::string>(row[0]) + ";\n";
        return {{"dump", dump}};
    }
    const std::vector<std::string> statements = split_statements(text);
    if (statements.empty())
        throw Error("invalid_request", "No SQL statement given (or \".schema\")", {{"field", "query"}});
    nlohmann::json results = nlohmann::json::array();
    for (std::size_t index = 0; index < statements.size(); ++index) {
        const std::string& statement = statements[index];
        const std::string verb = verb_of(statement);
        try {
            if (verb == "SELECT" || verb == "WITH" || verb == "PRAGMA" || verb == "EXPLAIN" || verb == "VALUES") {
                const cluster::Rows rows = client.query(statement);
                nlohmann::json out = nlohmann::json::array();
                for (const cluster::Row& row : rows.rows) {
                    nlohmann::json cells = nlohmann::json::array();
                    for (const cluster::Value& value : row) cells.push_back(json_of(value));
                    out.push_back(std::move(cells));
                }
                results.push_back({{"type", "select"}, {"columns", rows.columns}, {"rows", out}});
            } else {
                results.push_back({{"type", "exec"}, {"rows_affected", client.exec(statement).rows_affected}});
            }
        } catch (const Error& error) {
            // The first statement's error goes up as it is: nothing ran yet, so the store may
            // reconnect and retry (a leader change). After it, the batch cannot be run again.
            if (index == 0) throw;
            throw Error("sql_failed", "Statement " + std::to_string(index + 1) + " failed: " + error.what(),
                        {{"statement", statement},
                         {"index", index + 1},
                         {"cause", {{"code", error.code()}, {"details", error.details()}}}});
        }
    }
    return {{"results", results}};
}

}  // namespace microcloud::host::store
