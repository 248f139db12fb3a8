// tests/unit/store/schema_test.cpp - migrations from an empty database, re-running them, several
// stores migrating at once, and a database newer than this binary.
#include "store/schema.hpp"

#include "store_test_support.hpp"

#include <atomic>
#include <thread>

namespace microcloud::host::store::testing {
namespace {

class SchemaTest : public StoreTest {};

std::vector<std::string> table_names(cluster::Client& client) {
    std::vector<std::string> names;
    for (const cluster::Row& row :
         client.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
             .rows) {
        names.push_back(std::get<std::string>(row[0]));
    }
    return names;
}

TEST_F(SchemaTest, MigratesAnEmptyDatabaseToTheCurrentVersion) {
    auto fresh = make_store("-empty");
    cluster::Client client = raw_client("-empty");
    EXPECT_EQ(database_version(client), 0);

    const SchemaUpdate update = fresh->migrate();
    EXPECT_EQ(update.from, 0);
    EXPECT_EQ(update.to, schema_version());
    EXPECT_TRUE(update.changed());
    EXPECT_EQ(database_version(client), schema_version());
    EXPECT_EQ(table_names(client),
              (std::vector<std::string>{"config", "join_tokens", "members", "plugin_state", "schema"}));
}

TEST_F(SchemaTest, RunningAgainChangesNothing) {
    const SchemaUpdate again = store().migrate();
    EXPECT_EQ(again.from, schema_version());
    EXPECT_EQ(again.to, schema_version());
    EXPECT_FALSE(again.changed());
    cluster::Client client = raw_client();
    EXPECT_EQ(client.query("SELECT count(*) FROM schema").rows,
              (std::vector<cluster::Row>{{std::int64_t{schema_version()}}}));
}

TEST_F(SchemaTest, LaterStepsApplyOnTopOfEarlierOnes) {
    std::vector<Migration> steps = migrations();
    steps.push_back({{"CREATE TABLE extra (x INTEGER)", "INSERT INTO extra VALUES (7)"}});
    const SchemaUpdate update = store().migrate(steps);
    EXPECT_EQ(update.from, schema_version());
    EXPECT_EQ(update.to, schema_version() + 1);
    cluster::Client client = raw_client();
    EXPECT_EQ(client.query("SELECT x FROM extra").rows, (std::vector<cluster::Row>{{std::int64_t{7}}}));
}

TEST_F(SchemaTest, AFailingStepLeavesTheDatabaseAtTheOldVersion) {
    std::vector<Migration> steps = migrations();
    steps.push_back({{"CREATE TABLE half (x INTEGER)", "INSERT INTO nowhere VALUES (1)"}});
    expect_error([&] { store().migrate(steps); }, "schema_migration_failed",
                 {"version " + std::to_string(schema_version() + 1), "statement 2", "no such table: nowhere"});
    cluster::Client client = raw_client();
    EXPECT_EQ(database_version(client), schema_version());
    EXPECT_EQ(client.query("SELECT count(*) FROM sqlite_master WHERE name = 'half'").rows,
              (std::vector<cluster::Row>{{std::int64_t{0}}}));
}

TEST_F(SchemaTest, ADatabaseNewerThanThisBinaryIsRefused) {
    cluster::Client client = raw_client();
    client.exec("INSERT INTO schema (version, updated_at) VALUES (?, 0)", {std::int64_t{schema_version() + 5}});
    const std::string newer = std::to_string(schema_version() + 5);
    const std::string known = std::to_string(schema_version());
    expect_error([&] { store().migrate(); }, "schema_too_new", {"version " + newer, "version " + known});
    try {
        store().migrate();
    } catch (const Error& error) {
        EXPECT_EQ(error.details()["database_version"], schema_version() + 5);
        EXPECT_EQ(error.details()["known_version"], schema_version());
    }
}

TEST_F(SchemaTest, SeveralMembersMigratingAtOnceApplyEachStepOnce) {
    constexpr int kStores = 4;
    std::vector<std::unique_ptr<Store>> stores;
    for (int i = 0; i < kStores; ++i) {
        stores.push_back(make_store("-race"));
    }
    std::atomic<int> changed{0};
    std::atomic<int> failed{0};
    std::vector<std::thread> threads;
    for (auto& each : stores) {
        threads.emplace_back([&, store = each.get()] {
            try {
                if (store->migrate().changed()) {
                    ++changed;
                }
            } catch (const std::exception& error) {
                ADD_FAILURE() << error.what();
                ++failed;
            }
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(failed.load(), 0);
    EXPECT_EQ(changed.load(), 1);
    cluster::Client client = raw_client("-race");
    EXPECT_EQ(database_version(client), schema_version());
    EXPECT_EQ(client.query("SELECT count(*) FROM schema").rows,
              (std::vector<cluster::Row>{{std::int64_t{schema_version()}}}));
}

}  // namespace
}  // namespace microcloud::host::store::testing
