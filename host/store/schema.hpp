// host/store/schema.hpp - the versioned schema of MicroCloud's dqlite database: ordered migrations
// and the step that brings a database up to this binary's version.
#pragma once

#include "cluster/dqlite_client.hpp"
#include "store/records.hpp"

#include <string>
#include <vector>

namespace microcloud::host::store {

// One step of the schema: SQL statements applied together, in one transaction. The step that
// brings the database to version N is migrations[N - 1].
struct Migration {
    std::vector<std::string> statements{};
};

// The migrations this binary knows, oldest first.
const std::vector<Migration>& migrations();
// The version this binary brings a database to: migrations().size().
int schema_version();

struct SchemaUpdate {
    int from = 0;  // the version found
    int to = 0;    // the version left
    bool changed() const { return from != to; }
};

// The version recorded in the `schema` table; 0 for a database without one.
int database_version(cluster::Client& client);

// Brings the database open on `client` to version migrations.size(), applying each missing step
// and recording it in `schema`. Must run inside a transaction (see in_transaction) that starts
// before the version is read, so that when several members start at once the first to write
// wins and the others, retrying on the busy database, find the version it left. A database
// already at the version is left alone. Throws Error("schema_too_new") naming both versions when
// the database is newer than `migrations`, and Error("schema_migration_failed") naming the step.
SchemaUpdate apply_migrations(cluster::Client& client, const std::vector<Migration>& migrations, Timestamp now);

}  // namespace microcloud::host::store
