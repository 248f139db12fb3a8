// tests/unit/store/leader_change_test.cpp - three real dqlite voters: rows written through one
// Store are read back through it after leadership moves, the Store reconnecting by itself.
#include "cluster/dqlite_client.hpp"
#include "cluster/dqlite_leader.hpp"
#include "cluster/dqlite_node.hpp"
#include "store/store.hpp"

#include "cluster_test_support.hpp"
#include "store_test_support.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace microcloud::host::store::testing {
namespace {

class LeaderChangeTest : public ::testing::Test {
protected:
    void SetUp() override {
        for (int i = 1; i <= 3; ++i) {
            cluster::NodeConfig config;
            config.address = cluster::testing::abstract_address("lc" + std::to_string(i));
            config.id = nodes_.empty() ? cluster::kBootstrapNodeId : cluster::generate_node_id(config.address);
            config.data_dir = dir_.path() / ("n" + std::to_string(i));
            config.network_latency = 20ms;
            nodes_.push_back(std::make_unique<cluster::DqliteNode>(std::move(config)));
            nodes_.back()->start();
        }
        for (std::size_t i = 1; i < nodes_.size(); ++i) {
            cluster::Client leader = cluster::connect_to_leader(search());
            leader.add(nodes_[i]->id(), nodes_[i]->address());
            leader.assign(nodes_[i]->id(), cluster::Role::voter);
        }
    }

    cluster::LeaderSearch search() const {
        cluster::LeaderSearch search;
        for (const auto& node : nodes_) {
            search.addresses.push_back(node->address());
        }
        search.timeout = 15s;
        return search;
    }

    // Migrates the default database and waits until the node at `address` has applied it: a
    // follower prepares statements on its own copy, which may lag behind the leader's.
    void migrate_and_wait_for(const std::string& address) {
        Store(leader_connector(search())).migrate();
        const auto until = std::chrono::steady_clock::now() + 5s;
        for (;;) {
            try {
                cluster::Client follower = cluster::Client::connect(address);
                follower.open(StoreOptions{}.database);
                follower.finalize(follower.prepare("SELECT key FROM config"));
                return;
            } catch (const Error& error) {
                if (std::chrono::steady_clock::now() > until) {
                    throw;
                }
                std::this_thread::sleep_for(20ms);
            }
        }
    }

    cluster::testing::TempDir dir_;
    std::vector<std::unique_ptr<cluster::DqliteNode>> nodes_;
};

TEST_F(LeaderChangeTest, WritesAreReadBackAfterLeadershipMoves) {
    Store store(leader_connector(search()));
    store.migrate();
    store.add_member(sample_member(1));
    store.set_config("cluster.name", "lab");

    for (std::size_t target : {std::size_t{1}, std::size_t{2}}) {
        cluster::Client leader = cluster::connect_to_leader(search());
        leader.transfer(nodes_[target]->id());
        EXPECT_EQ(cluster::connect_to_leader(search()).address(), nodes_[target]->address());

        // The store's connection still points at the old leader: the next call reconnects.
        EXPECT_EQ(store.find_member("m1"), sample_member(1));
        EXPECT_EQ(store.get_config("cluster.name"), "lab");
        store.add_member(sample_member(static_cast<int>(target) + 1));
    }
    EXPECT_EQ(store.list_members().size(), 3u);

    // A second store, on a fresh connection, sees the same rows.
    Store other(leader_connector(search()));
    EXPECT_FALSE(other.migrate().changed());
    EXPECT_EQ(other.list_members(), store.list_members());
}

TEST_F(LeaderChangeTest, AFollowerConnectionIsReplacedOnceByTheLeader) {
    const std::string follower = nodes_[1]->address();
    migrate_and_wait_for(follower);
    int calls = 0;
    Store store([&] {
        ++calls;
        return calls == 1 ? cluster::Client::connect(follower) : cluster::connect_to_leader(search());
    });
    store.set_config("written.through", "leader");
    EXPECT_EQ(calls, 2);
    EXPECT_EQ(store.get_config("written.through"), "leader");
    EXPECT_EQ(calls, 2);
}

TEST_F(LeaderChangeTest, AStoreThatOnlyReachesFollowersGivesUpAfterOneRetry) {
    const std::string follower = nodes_[2]->address();
    migrate_and_wait_for(follower);
    int calls = 0;
    Store store([&] {
        ++calls;
        return cluster::Client::connect(follower);
    });
    expect_error([&] { store.list_config(); }, "dqlite_not_leader");
    EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace microcloud::host::store::testing
