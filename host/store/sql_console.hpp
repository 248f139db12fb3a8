// host/store/sql_console.hpp - `microcloud sql`: SQL text typed by an operator, run statement by
// statement against the cluster database, with every result as JSON (a debugging aid, as upstream's).
#pragma once

#include "cluster/dqlite_client.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace microcloud::host::store {

// The statements of `text`, split at semicolons outside quotes ('...', "...") and comments
// ("-- ..." to the end of the line), each trimmed; empty ones left out.
std::vector<std::string> split_statements(const std::string& text);

// Runs `text` on `client`:
// - ".schema": {"dump": the CREATE statements of every table, index and trigger, one per line};
// - otherwise {"results": [...]}, one per statement in order: a statement that yields rows
//   (SELECT, WITH, PRAGMA, EXPLAIN, VALUES) gives {"type": "select", "columns": [...],
//   "rows": [[...]]}, any other {"type": "exec", "rows_affected": N}.
// A failing statement stops the batch: the first one with the database's own error (nothing ran,
// so the caller may retry), a later one with Error("sql_failed", "Statement N failed: ...",
// details "statement", "index", "cause"); the ones before it have taken effect.
nlohmann::json run_sql(cluster::Client& client, const std::string& text);

}  // namespace microcloud::host::store
