// tests/unit/cluster/dqlite_cluster_test.cpp - three (then four) real in-process dqlite nodes on
// abstract sockets: joining with ADD and ASSIGN, writes through the leader, leadership transfer,
// the not-leader error, handover and removal.
#include "cluster/dqlite_client.hpp"
#include "cluster/dqlite_handover.hpp"
#include "cluster/dqlite_leader.hpp"
#include "cluster/dqlite_node.hpp"
#include "common/error.hpp"

#include "cluster_test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

namespace microcloud::host::cluster {
namespace {

using namespace std::chrono_literals;

class DqliteClusterTest : public ::testing::Test {
protected:
    // Starts a node: the first one bootstraps, the others wait to be added.
    DqliteNode& start_node(const std::string& label) {
        NodeConfig config;
        config.address = testing::abstract_address(label);
        config.id = nodes_.empty() ? kBootstrapNodeId : generate_node_id(config.address);
        config.data_dir = dir_.path() / label;
        config.network_latency = 20ms;
        auto node = std::make_unique<DqliteNode>(std::move(config));
        node->start();
        nodes_.push_back(std::move(node));
        return *nodes_.back();
    }

    std::vector<std::string> addresses() const {
        std::vector<std::string> all;
        for (const auto& node : nodes_) {
            all.push_back(node->address());
        }
        return all;
    }

    Client leader() {
        LeaderSearch search;
        search.addresses = addresses();
        search.timeout = 15s;
        return connect_to_leader(search);
    }

    // Adds the node (as a spare: raft refuses to assign the role a node already has), then gives
    // it `role`.
    void join(const DqliteNode& node, Role role) {
        Client client = leader();
        client.add(node.id(), node.address());
        if (role != Role::spare) {
            client.assign(node.id(), role);
        }
    }

    std::map<NodeId, Role> roles() {
        std::map<NodeId, Role> by_id;
        for (const NodeInfo& node : leader().cluster()) {
            by_id[node.id] = node.role;
        }
        return by_id;
    }

    testing::TempDir dir_;
    std::vector<std::unique_ptr<DqliteNode>> nodes_;
};

TEST_F(DqliteClusterTest, ThreeVotersReplicateAndFollowTheLeader) {
    DqliteNode& first = start_node("n1");
    DqliteNode& second = start_node("n2");
    DqliteNode& third = start_node("n3");
    join(second, Role::voter);
    join(third, Role::voter);

    EXPECT_EQ(roles(), (std::map<NodeId, Role>{
                           {first.id(), Role::voter}, {second.id(), Role::voter}, {third.id(), Role::voter}}));

    {
        Client writer = leader();
        EXPECT_EQ(writer.address(), first.address());
        writer.open("shared");
        writer.exec_sql("CREATE TABLE members (name TEXT)");
        writer.exec("INSERT INTO members VALUES (?)", {std::string("written-on-n1")});
    }

    // A follower refuses writes and names the leader.
    {
        Client follower = Client::connect(second.address());
        follower.open("shared");
        try {
            follower.exec_sql("INSERT INTO members VALUES ('nope')");
            FAIL() << "expected dqlite_not_leader";
        } catch (const Error& error) {
            EXPECT_EQ(error.code(), "dqlite_not_leader") << error.what();
        }
        const auto named = follower.leader();
        ASSERT_TRUE(named);
        EXPECT_EQ(named->id, first.id());
    }

    // Leadership moves to n2; the row written on n1 is read through the new leader.
    {
        Client client = leader();
        client.transfer(second.id());
    }
    Client reader = leader();
    EXPECT_EQ(reader.address(), second.address());
    reader.open("shared");
    EXPECT_EQ(reader.query("SELECT name FROM members").rows, (std::vector<Row>{{std::string("written-on-n1")}}));

    // Handover from the leader: leadership goes to another voter; with no stand-in the vote stays.
    const HandoverOutcome outcome = handover(second.id(), second.address());
    EXPECT_TRUE(outcome.leadership_transferred);
    EXPECT_FALSE(outcome.promoted);
    EXPECT_NE(leader().address(), second.address());

    // A fourth node joins as a spare; handing over n3's vote promotes it and demotes n3.
    DqliteNode& fourth = start_node("n4");
    join(fourth, Role::spare);
    const HandoverOutcome moved = handover(third.id(), third.address());
    EXPECT_EQ(moved.promoted, fourth.id());
    EXPECT_TRUE(moved.demoted);
    EXPECT_EQ(roles(), (std::map<NodeId, Role>{{first.id(), Role::voter},
                                               {second.id(), Role::voter},
                                               {third.id(), Role::spare},
                                               {fourth.id(), Role::voter}}));

    // The demoted spare leaves the cluster.
    leader().remove(third.id());
    const auto remaining = roles();
    EXPECT_EQ(remaining.size(), 3u);
    EXPECT_EQ(remaining.count(third.id()), 0u);

    Client last = leader();
    last.open("shared");
    last.exec("INSERT INTO members VALUES (?)", {std::string("after-changes")});
    EXPECT_EQ(last.query("SELECT count(*) FROM members").rows, (std::vector<Row>{{std::int64_t{2}}}));
}

TEST_F(DqliteClusterTest, StandByRoleIsListed) {
    DqliteNode& first = start_node("s1");
    DqliteNode& second = start_node("s2");
    join(second, Role::standby);
    EXPECT_EQ(roles(), (std::map<NodeId, Role>{{first.id(), Role::voter}, {second.id(), Role::standby}}));
}

}  // namespace
}  // namespace microcloud::host::cluster
