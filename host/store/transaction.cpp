// host/store/transaction.cpp - the statements that open, close and undo a transaction, and the
// classification of errors for retrying.
#include "store/transaction.hpp"

namespace microcloud::host::store {
namespace {

constexpr int kSqliteBusy = 5;
constexpr int kSqliteLocked = 6;
constexpr int kSqliteNotFound = 12;

int sqlite_code(const Error& error) {
    if (error.code() != "dqlite_failure" || !error.details().is_object()) {
        return -1;
    }
    const auto code = error.details().find("sqlite_code");
    return code != error.details().end() && code->is_number_integer() ? code->get<int>() : -1;
}

}  // namespace

bool is_busy(const Error& error) {
    const int primary = sqlite_code(error) & 0xff;
    return primary == kSqliteBusy || primary == kSqliteLocked;
}

bool is_leader_change(const Error& error) {
    if (error.code() == "dqlite_not_leader" || error.code() == "dqlite_unreachable") {
        return true;
    }
    // A node that lost leadership drops the database its connections had opened and answers
    // their next statement with SQLITE_NOTFOUND "no database opened".
    return sqlite_code(error) == kSqliteNotFound &&
           std::string(error.what()).find("no database opened") != std::string::npos;
}

bool is_commit_unknown(const Error& error) {
    return error.details().is_object() && error.details().value("commit_outcome", "") == "unknown";
}

namespace detail {

void begin(cluster::Client& client) {
    client.exec_sql("BEGIN");
}

void commit(cluster::Client& client) {
    try {
        client.exec_sql("COMMIT");
    } catch (const Error& error) {
        if (error.code() != "dqlite_unreachable" && error.code() != "dqlite_timeout") {
            throw;
        }
        nlohmann::json details = error.details().is_object() ? error.details() : nlohmann::json::object();
        details["commit_outcome"] = "unknown";
        throw Error(error.code(),
                    std::string(error.what()) + " (while committing: the changes may or may not have been stored)",
                    details);
    }
}

void rollback_quietly(cluster::Client& client) noexcept {
    try {
        client.exec_sql("ROLLBACK");
    } catch (...) {
        // No transaction is open any more (SQLite ended it) or the connection is gone.
    }
}

}  // namespace detail
}  // namespace microcloud::host::store
