// tests/unit/store/store_test_support.hpp - one real in-process dqlite node shared by a suite, a
// fresh database per test, stores on it, and sample rows.
#pragma once

#include "cluster/dqlite_leader.hpp"
#include "cluster/dqlite_node.hpp"
#include "common/error.hpp"
#include "store/store.hpp"

#include "cluster_test_support.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace microcloud::host::store::testing {

using namespace std::chrono_literals;

inline Timestamp at(std::int64_t seconds) {
    return Timestamp{std::chrono::seconds{seconds}};
}

// A member whose unique fields all derive from `n`.
inline Member sample_member(int n, MemberRole role = MemberRole::voter) {
    const std::string digit = std::to_string(n % 10);
    std::string fingerprint(64, 'a');
    fingerprint.replace(0, digit.size(), digit);
    return Member{
        .name = "m" + std::to_string(n),
        .address = "10.0.0." + std::to_string(n) + ":9443",
        .certificate = "-----BEGIN CERTIFICATE-----\nMIIB" + std::to_string(n) + "\n-----END CERTIFICATE-----\n",
        .fingerprint = fingerprint,
        .role = role,
        .node_id = 0xf000000000000000ULL + static_cast<std::uint64_t>(n),
        .joined_at = at(1700000000 + n),
        .heartbeat_at = std::nullopt,
    };
}

// Checks that `action` throws Error with `code` and a message holding each of `parts`.
template <class Action>
void expect_error(Action&& action, const std::string& code, std::initializer_list<std::string> parts = {}) {
    try {
        action();
        ADD_FAILURE() << "expected Error(\"" << code << "\")";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), code) << error.what();
        for (const std::string& part : parts) {
            EXPECT_NE(std::string(error.what()).find(part), std::string::npos)
                << "\"" << error.what() << "\" does not mention \"" << part << "\"";
        }
    }
}

// One bootstrapped node for the whole suite; every test gets its own database on it.
class StoreTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = std::make_unique<cluster::testing::TempDir>();
        cluster::NodeConfig config;
        config.id = cluster::kBootstrapNodeId;
        config.address = cluster::testing::abstract_address("store");
        config.data_dir = dir_->path() / "node";
        config.network_latency = 20ms;
        node_ = std::make_unique<cluster::DqliteNode>(std::move(config));
        node_->start();
    }

    static void TearDownTestSuite() {
        node_.reset();
        dir_.reset();
    }

    static std::string database() {
        return std::string("store-") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    }

    static ClientFactory connector() {
        cluster::LeaderSearch search;
        search.addresses = {node_->address()};
        search.timeout = 10s;
        return leader_connector(search);
    }

    // A store on this test's database (plus `suffix`), the clock at `now_`.
    std::unique_ptr<Store> make_store(const std::string& suffix = "") {
        StoreOptions options;
        options.database = database() + suffix;
        options.now = [this] { return now_; };
        return std::make_unique<Store>(connector(), options);
    }

    // A raw client on this test's database (plus `suffix`).
    static cluster::Client raw_client(const std::string& suffix = "") {
        cluster::Client client = connector()();
        client.open(database() + suffix);
        return client;
    }

    void SetUp() override {
        store_ = make_store();
        store_->migrate();
    }

    Store& store() { return *store_; }

    static std::unique_ptr<cluster::testing::TempDir> dir_;
    static std::unique_ptr<cluster::DqliteNode> node_;
    Timestamp now_ = at(1800000000);
    std::unique_ptr<Store> store_;
};

inline std::unique_ptr<cluster::testing::TempDir> StoreTest::dir_;
inline std::unique_ptr<cluster::DqliteNode> StoreTest::node_;

}  // namespace microcloud::host::store::testing
