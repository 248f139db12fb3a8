// tests/unit/store/transaction_test.cpp - several changes committed together, and a failing
// transaction leaving nothing behind.
#include "store/transaction.hpp"

#include "store_test_support.hpp"

#include <thread>

namespace microcloud::host::store::testing {
namespace {

class TransactionTest : public StoreTest {};

TEST_F(TransactionTest, ChangesInOneTransactionCommitTogether) {
    const std::size_t count = store().transaction([](Session& session) {
        session.add_member(sample_member(1));
        session.set_config("cluster.name", "lab");
        session.put_plugin_state("m1", "lxd", {{"ready", true}});
        return session.list_members().size();
    });
    EXPECT_EQ(count, 1u);
    EXPECT_TRUE(store().find_member("m1"));
    EXPECT_EQ(store().get_config("cluster.name"), "lab");
    EXPECT_TRUE(store().get_plugin_state("m1", "lxd"));
}

TEST_F(TransactionTest, AStoreErrorRollsEverythingBack) {
    store().add_member(sample_member(1));
    expect_error(
        [&] {
            store().transaction([](Session& session) {
                session.add_member(sample_member(2));
                session.set_config("cluster.name", "lab");
                session.add_member(sample_member(1));  // clashes
            });
        },
        "member_exists");
    EXPECT_EQ(store().find_member("m2"), std::nullopt);
    EXPECT_EQ(store().get_config("cluster.name"), std::nullopt);
    EXPECT_EQ(store().list_members().size(), 1u);
}

TEST_F(TransactionTest, AnyExceptionRollsBackAndTheStoreGoesOn) {
    EXPECT_THROW(store().transaction([](Session& session) {
        session.add_member(sample_member(1));
        throw std::runtime_error("plugin said no");
    }),
                 std::runtime_error);
    EXPECT_TRUE(store().list_members().empty());
    store().add_member(sample_member(1));
    EXPECT_EQ(store().list_members().size(), 1u);
}

TEST_F(TransactionTest, ATokenIsUsedAndItsMemberRecordedTogether) {
    store().issue_token(JoinToken{.name = "t",
                                  .secret_hash = "h",
                                  .joiner = "m1",
                                  .expires_at = now_ + std::chrono::seconds{60},
                                  .created_at = now_});
    auto join = [&] {
        store().transaction([](Session& session) {
            const JoinToken used = session.consume_token("t", "h");
            Member member = sample_member(1, MemberRole::pending);
            member.name = used.joiner;
            session.add_member(member);
        });
    };
    join();
    expect_error(join, "token_not_found");
    EXPECT_EQ(store().list_members().size(), 1u);
}

TEST_F(TransactionTest, ABusyDatabaseIsRetriedUntilTheBusyTimeout) {
    cluster::Client holder = raw_client();
    holder.exec_sql("BEGIN");
    holder.exec("INSERT INTO config (key, value) VALUES ('held', 'yes')");

    StoreOptions options;
    options.database = database();
    options.busy_timeout = 200ms;
    Store impatient(connector(), options);
    const auto started = std::chrono::steady_clock::now();
    try {
        impatient.set_config("cluster.name", "lab");
        ADD_FAILURE() << "expected a busy database";
    } catch (const Error& error) {
        EXPECT_TRUE(is_busy(error)) << error.code() << ": " << error.what();
    }
    EXPECT_GE(std::chrono::steady_clock::now() - started, 200ms);

    holder.exec_sql("ROLLBACK");
    impatient.set_config("cluster.name", "lab");
    EXPECT_EQ(impatient.list_config(), (std::map<std::string, std::string>{{"cluster.name", "lab"}}));
}

TEST_F(TransactionTest, AWriterWaitsForAnotherTransactionToFinish) {
    cluster::Client holder = raw_client();
    holder.exec_sql("BEGIN");
    holder.exec("INSERT INTO config (key, value) VALUES ('first', '1')");
    std::thread finisher([&] {
        std::this_thread::sleep_for(100ms);
        holder.exec_sql("COMMIT");
    });
    store().set_config("second", "2");
    finisher.join();
    EXPECT_EQ(store().list_config(), (std::map<std::string, std::string>{{"first", "1"}, {"second", "2"}}));
}

TEST(TransactionErrors, AreSortedIntoRetryableAndFinal) {
    EXPECT_TRUE(is_busy(Error("dqlite_failure", "database is locked", {{"sqlite_code", 5}})));
    EXPECT_TRUE(is_busy(Error("dqlite_failure", "locked", {{"sqlite_code", 6 | (1 << 8)}})));
    EXPECT_FALSE(is_busy(Error("dqlite_failure", "constraint", {{"sqlite_code", 19}})));
    EXPECT_FALSE(is_busy(Error("dqlite_timeout", "slow")));

    EXPECT_TRUE(is_leader_change(Error("dqlite_not_leader", "not leader")));
    EXPECT_TRUE(is_leader_change(Error("dqlite_unreachable", "gone")));
    EXPECT_TRUE(is_leader_change(
        Error("dqlite_failure", "dqlite node @x failed PREPARE: no database opened", {{"sqlite_code", 12}})));
    EXPECT_FALSE(is_leader_change(Error("dqlite_failure", "no such table", {{"sqlite_code", 1}})));

    EXPECT_TRUE(is_commit_unknown(Error("dqlite_unreachable", "gone", {{"commit_outcome", "unknown"}})));
    EXPECT_FALSE(is_commit_unknown(Error("dqlite_unreachable", "gone")));
}

}  // namespace
}  // namespace microcloud::host::store::testing
