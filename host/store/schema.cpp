// host/store/schema.cpp - MicroCloud's schema as ordered migrations, and applying the missing ones.
#include "store/schema.hpp"

#include "common/error.hpp"
#include "store/columns.hpp"

namespace microcloud::host::store {
namespace {

// One row per applied step; the highest is the database's version.
constexpr const char* kCreateSchemaTable =
    "CREATE TABLE IF NOT EXISTS schema ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " version INTEGER NOT NULL UNIQUE,"
    " updated_at INTEGER NOT NULL)";

Migration version_1() {
    return {{
        "CREATE TABLE members ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " name TEXT NOT NULL UNIQUE,"
        " address TEXT NOT NULL UNIQUE,"
        " certificate TEXT NOT NULL,"
        " fingerprint TEXT NOT NULL UNIQUE,"
        " role TEXT NOT NULL CHECK (role IN ('voter', 'stand-by', 'spare', 'pending')),"
        " node_id INTEGER NOT NULL UNIQUE,"
        " joined_at INTEGER NOT NULL,"
        " heartbeat_at INTEGER)",
        "CREATE TABLE join_tokens ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " name TEXT NOT NULL UNIQUE,"
        " secret_hash TEXT NOT NULL,"
        " joiner TEXT NOT NULL,"
        " expires_at INTEGER NOT NULL,"
        " created_at INTEGER NOT NULL)",
        "CREATE TABLE config ("
        " key TEXT PRIMARY KEY NOT NULL,"
        " value TEXT NOT NULL)",
        "CREATE TABLE plugin_state ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " member TEXT NOT NULL,"
        " plugin TEXT NOT NULL,"
        " state TEXT NOT NULL,"
        " updated_at INTEGER NOT NULL,"
        " UNIQUE (member, plugin))",
    }};
}

void apply_step(cluster::Client& client, const Migration& step, int version, Timestamp now) {
    std::size_t index = 0;
    try {
        for (; index < step.statements.size(); ++index) {
            client.exec_sql(step.statements[index]);
        }
        client.exec("INSERT INTO schema (version, updated_at) VALUES (?, ?)",
                    {std::int64_t{version}, detail::time_value(now)});
    } catch (const Error& error) {
        if (error.code() != "dqlite_failure") {
            throw;  // a lost leader or connection: the caller may retry the whole update
        }
        throw Error("schema_migration_failed",
                    "schema update to version " + std::to_string(version) + " failed at statement " +
                        std::to_string(index + 1) + ": " + error.what(),
                    {{"version", version}, {"statement", index + 1}, {"cause", error.details()}});
    }
}

}  // namespace

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> all{version_1()};
    return all;
}

int schema_version() {
    return static_cast<int>(migrations().size());
}

int database_version(cluster::Client& client) {
    const cluster::Rows exists =
        client.query("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema'");
    if (exists.rows.empty() || detail::integer_at(exists.rows.front(), 0, "count") == 0) {
        return 0;
    }
    const cluster::Rows rows = client.query("SELECT COALESCE(MAX(version), 0) FROM schema");
    return rows.rows.empty() ? 0 : static_cast<int>(detail::integer_at(rows.rows.front(), 0, "version"));
}

SchemaUpdate apply_migrations(cluster::Client& client, const std::vector<Migration>& steps, Timestamp now) {
    // A write first, so that this transaction holds the write lock before reading the version.
    client.exec_sql(kCreateSchemaTable);
    client.exec("DELETE FROM schema WHERE version < 0");
    const int known = static_cast<int>(steps.size());
    const int found = database_version(client);
    if (found > known) {
        throw Error("schema_too_new",
                    "the database schema is at version " + std::to_string(found) + ", newer than version " +
                        std::to_string(known) + " that this microcloudd knows; upgrade this member first",
                    {{"database_version", found}, {"known_version", known}});
    }
    for (int version = found + 1; version <= known; ++version) {
        apply_step(client, steps[static_cast<std::size_t>(version - 1)], version, now);
    }
    return {found, known};
}

}  // namespace microcloud::host::store
