// tests/unit/cluster/dqlite_node_test.cpp - the client against one real in-process dqlite node:
// typed rows, parameters, multi-part results, SQL errors, membership listing, node lifecycle.
#include "cluster/dqlite_node.hpp"
#include "cluster/dqlite_client.hpp"
#include "cluster/dqlite_leader.hpp"
#include "common/error.hpp"

#include "cluster_test_support.hpp"

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>

namespace microcloud::host::cluster {
namespace {

using namespace std::chrono_literals;

Client leader_of(const std::string& address) {
    LeaderSearch search;
    search.addresses = {address};
    search.timeout = 10s;
    return connect_to_leader(search);
}

// One bootstrapped node shared by the suite (starting one costs a few hundred ms).
class DqliteNodeTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = std::make_unique<testing::TempDir>();
        NodeConfig config;
        config.id = kBootstrapNodeId;
        config.address = testing::abstract_address("single");
        config.data_dir = dir_->path() / "node";
        config.network_latency = 20ms;
        config.failure_domain = 3;
        node_ = std::make_unique<DqliteNode>(std::move(config));
        node_->start();
    }

    static void TearDownTestSuite() {
        node_.reset();
        dir_.reset();
    }

    void SetUp() override {
        client_ = std::make_unique<Client>(leader_of(node_->address()));
        client_->open("test-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    }

    Client& client() { return *client_; }

    static std::unique_ptr<testing::TempDir> dir_;
    static std::unique_ptr<DqliteNode> node_;
    std::unique_ptr<Client> client_;
};

std::unique_ptr<testing::TempDir> DqliteNodeTest::dir_;
std::unique_ptr<DqliteNode> DqliteNodeTest::node_;

TEST_F(DqliteNodeTest, InsertWithParametersAndQueryTypedRows) {
    client().exec("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, weight REAL, data BLOB, note TEXT)");
    const ExecResult inserted = client().exec("INSERT INTO items (name, weight, data, note) VALUES (?, ?, ?, ?)",
                                              {std::string("disk"), 1.5, Blob{0, 1, 254}, Null{}});
    EXPECT_EQ(inserted.rows_affected, 1u);
    EXPECT_EQ(inserted.last_insert_id, 1u);
    client().exec("INSERT INTO items (name, weight, data, note) VALUES (?, ?, ?, ?)",
                  {std::string("nic"), std::int64_t{2}, Blob{}, std::string("second")});

    const Rows rows =
        client().query("SELECT id, name, weight, data, note FROM items WHERE id >= ? ORDER BY id", {std::int64_t{1}});
    EXPECT_EQ(rows.columns, (std::vector<std::string>{"id", "name", "weight", "data", "note"}));
    ASSERT_EQ(rows.rows.size(), 2u);
    EXPECT_EQ(rows.rows[0], (Row{std::int64_t{1}, std::string("disk"), 1.5, Blob{0, 1, 254}, Null{}}));
    // REAL affinity stores 2 as 2.0; a zero-length blob comes back as a blob.
    EXPECT_EQ(rows.rows[1], (Row{std::int64_t{2}, std::string("nic"), 2.0, Blob{}, std::string("second")}));
}

TEST_F(DqliteNodeTest, PreparedStatementRunsManyTimes) {
    client().exec("CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER)");
    const Statement insert = client().prepare("INSERT INTO kv (k, v) VALUES (?, ?)");
    EXPECT_EQ(insert.params, 2u);
    for (std::int64_t i = 0; i < 5; ++i) {
        client().exec(insert, {"key-" + std::to_string(i), i * 10});
    }
    client().finalize(insert);
    const Rows rows = client().query("SELECT sum(v), count(*) FROM kv");
    EXPECT_EQ(rows.rows, (std::vector<Row>{{std::int64_t{100}, std::int64_t{5}}}));
}

TEST_F(DqliteNodeTest, DateAndBooleanColumnsComeBackTyped) {
    client().exec("CREATE TABLE events (at DATETIME, day DATE, ok BOOLEAN)");
    client().exec("INSERT INTO events VALUES (?, ?, ?)", {UnixTime{1700000000}, Iso8601{"2024-05-01T10:00:00Z"}, true});
    client().exec("INSERT INTO events VALUES (?, ?, ?)", {Iso8601{"2023-01-02 03:04:05"}, Null{}, false});
    const Rows rows = client().query("SELECT at, day, ok FROM events ORDER BY rowid");
    ASSERT_EQ(rows.rows.size(), 2u);
    EXPECT_EQ(rows.rows[0], (Row{UnixTime{1700000000}, Iso8601{"2024-05-01T10:00:00Z"}, true}));
    // A NULL in a DATE column arrives as an empty ISO-8601 text (dqlite's choice).
    EXPECT_EQ(rows.rows[1], (Row{Iso8601{"2023-01-02 03:04:05"}, Iso8601{""}, false}));
}

TEST_F(DqliteNodeTest, LargeResultSpansSeveralRowsMessages) {
    client().exec("CREATE TABLE big (n INTEGER, pad TEXT)");
    client().exec(
        "INSERT INTO big (n, pad) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000) "
        "SELECT x, printf('%040d', x) FROM c");

    // Count the ROWS messages by hand once.
    Connection& connection = client().connection();
    const Deadline until = connection.deadline();
    connection.send(encode_query_sql(0, "SELECT n, pad FROM big ORDER BY n", {}), until);
    int messages = 0;
    std::size_t rows_seen = 0;
    for (bool more = true; more;) {
        const RowsBatch batch = decode_rows(connection.receive(RequestType::query_sql, ResponseType::rows, until));
        EXPECT_EQ(batch.columns, (std::vector<std::string>{"n", "pad"}));
        rows_seen += batch.rows.size();
        more = batch.more;
        ++messages;
    }
    EXPECT_GT(messages, 2);
    EXPECT_EQ(rows_seen, 2000u);

    const Rows rows = client().query("SELECT n, pad FROM big ORDER BY n");
    ASSERT_EQ(rows.rows.size(), 2000u);
    for (std::size_t i = 0; i < rows.rows.size(); ++i) {
        ASSERT_EQ(rows.rows[i][0], Value{std::int64_t(i + 1)}) << "row " << i;
    }
    EXPECT_EQ(rows.rows.back()[1], Value{std::string(36, '0') + "2000"});
}

TEST_F(DqliteNodeTest, SqlErrorSurfacesWithItsMessageAndTheConnectionGoesOn) {
    try {
        client().query("SELECT * FROM missing_table");
        FAIL() << "expected dqlite_failure";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "dqlite_failure");
        EXPECT_NE(std::string(error.what()).find("no such table: missing_table"), std::string::npos) << error.what();
        EXPECT_EQ(error.details()["sqlite_code"], 1);  // SQLITE_ERROR
    }
    client().exec("CREATE TABLE u (id INTEGER PRIMARY KEY)");
    client().exec("INSERT INTO u VALUES (1)");
    try {
        client().exec("INSERT INTO u VALUES (?)", {std::int64_t{1}});
        FAIL() << "expected dqlite_failure";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "dqlite_failure");
        EXPECT_NE(std::string(error.what()).find("UNIQUE constraint failed: u.id"), std::string::npos) << error.what();
        EXPECT_EQ(error.details()["sqlite_code"].get<int>() & 0xff, 19);  // SQLITE_CONSTRAINT, maybe extended
    }
    EXPECT_EQ(client().query("SELECT count(*) FROM u").rows, (std::vector<Row>{{std::int64_t{1}}}));
}

TEST_F(DqliteNodeTest, ExecSqlRunsEveryStatementOfTheText) {
    const ExecResult last = client().exec_sql(
        "CREATE TABLE m (x INTEGER); INSERT INTO m VALUES (1); INSERT INTO m VALUES (2); "
        "INSERT INTO m VALUES (3);");
    EXPECT_EQ(last.last_insert_id, 3u);
    EXPECT_EQ(last.rows_affected, 1u);
    const Rows rows = client().query_sql("SELECT x FROM m WHERE x > ? ORDER BY x", {std::int64_t{1}});
    EXPECT_EQ(rows.columns, (std::vector<std::string>{"x"}));
    EXPECT_EQ(rows.rows, (std::vector<Row>{{std::int64_t{2}}, {std::int64_t{3}}}));
}

TEST_F(DqliteNodeTest, ExecSqlStopsAtTheFirstFailingStatement) {
    try {
        client().exec_sql("CREATE TABLE half (x INTEGER); INSERT INTO nowhere VALUES (1); CREATE TABLE never (y)");
        FAIL() << "expected dqlite_failure";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "dqlite_failure");
        EXPECT_NE(std::string(error.what()).find("no such table: nowhere"), std::string::npos) << error.what();
    }
    EXPECT_EQ(client().query("SELECT name FROM sqlite_master WHERE name IN ('half', 'never')").rows,
              (std::vector<Row>{{std::string("half")}}));
}

TEST_F(DqliteNodeTest, ClusterListsTheNodeAsVoterAndLeader) {
    const auto nodes = client().cluster();
    ASSERT_EQ(nodes.size(), 1u);
    EXPECT_EQ(nodes[0], (NodeInfo{kBootstrapNodeId, node_->address(), Role::voter}));
    const auto leader = client().leader();
    ASSERT_TRUE(leader);
    EXPECT_EQ(leader->id, kBootstrapNodeId);
    EXPECT_EQ(leader->address, node_->address());
}

TEST_F(DqliteNodeTest, DescribeAndWeight) {
    EXPECT_EQ(client().describe().failure_domain, 3u);
    client().set_weight(5);
    EXPECT_EQ(client().describe(), (Metadata{3, 5}));
    EXPECT_GT(client().register_client(1), 0u);
}

TEST_F(DqliteNodeTest, SecondOpenOnOneConnectionIsRefused) {
    try {
        client().open("other");
        FAIL() << "expected dqlite_failure";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "dqlite_failure");
        EXPECT_NE(std::string(error.what()).find("already open"), std::string::npos) << error.what();
    }
}

TEST_F(DqliteNodeTest, BindAddressIsReported) {
    EXPECT_EQ(node_->bind_address(), node_->address());
}

// A free TCP port on 127.0.0.1 (closed again; the node binds it right after).
int free_port() {
    UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &length);
    return ntohs(address.sin_port);
}

TEST(DqliteNode, ServesOverTcpOnLoopback) {
    testing::TempDir dir;
    NodeConfig config;
    config.id = kBootstrapNodeId;
    config.address = "127.0.0.1:" + std::to_string(free_port());
    config.data_dir = dir.path() / "tcp";
    config.network_latency = 20ms;
    DqliteNode node(config);
    node.start();
    EXPECT_TRUE(node.running());
    Client client = leader_of(config.address);
    client.open("tcp");
    EXPECT_EQ(client.query_sql("SELECT 40 + 2 AS answer").rows, (std::vector<Row>{{std::int64_t{42}}}));
    node.stop();
    EXPECT_FALSE(node.running());
}

TEST(DqliteNode, RestartsOnItsDataAndKeepsRows) {
    testing::TempDir dir;
    NodeConfig config;
    config.id = kBootstrapNodeId;
    config.address = testing::abstract_address("restart");
    config.data_dir = dir.path() / "restart";
    config.network_latency = 20ms;
    {
        DqliteNode node(config);
        node.start();
        Client client = leader_of(config.address);
        client.open("keep");
        client.exec_sql("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('kept')");
        node.stop();
        try {
            client.query_sql("SELECT v FROM t");
            FAIL() << "expected dqlite_unreachable";
        } catch (const Error& error) {
            EXPECT_EQ(error.code(), "dqlite_unreachable") << error.what();
        }
    }
    DqliteNode again(config);
    again.start();
    Client client = leader_of(config.address);
    client.open("keep");
    EXPECT_EQ(client.query_sql("SELECT v FROM t").rows, (std::vector<Row>{{std::string("kept")}}));
}

TEST(DqliteNode, StartsOnlyOnce) {
    testing::TempDir dir;
    DqliteNode node(NodeConfig{
        .id = kBootstrapNodeId, .address = testing::abstract_address("once"), .data_dir = dir.path() / "once"});
    node.start();
    node.stop();
    try {
        node.start();
        FAIL() << "expected dqlite_node";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "dqlite_node");
        EXPECT_NE(std::string(error.what()).find("a node starts once"), std::string::npos) << error.what();
    }
}

TEST(DqliteNode, MoveAssignmentStopsTheReplacedNode) {
    testing::TempDir dir;
    const std::string first_address = testing::abstract_address("replaced");
    DqliteNode node(NodeConfig{.id = kBootstrapNodeId, .address = first_address, .data_dir = dir.path() / "a"});
    node.start();
    EXPECT_NO_THROW(dial_address(first_address, 500ms));
    node = DqliteNode(
        NodeConfig{.id = kBootstrapNodeId, .address = testing::abstract_address("new"), .data_dir = dir.path() / "b"});
    EXPECT_FALSE(node.running());
    EXPECT_THROW(dial_address(first_address, 500ms), Error);
}

TEST(DqliteNode, InvalidConfigurationIsRefused) {
    testing::TempDir dir;
    EXPECT_THROW(DqliteNode(NodeConfig{.id = 0, .address = "@x", .data_dir = dir.path()}), Error);
    EXPECT_THROW(DqliteNode(NodeConfig{.id = 2, .address = "", .data_dir = dir.path()}), Error);
    try {
        DqliteNode node(NodeConfig{
            .id = 2, .address = "@y", .data_dir = dir.path() / "y", .network_latency = std::chrono::milliseconds{0}});
        FAIL() << "expected dqlite_node";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "dqlite_node");
        EXPECT_NE(std::string(error.what()).find("network latency"), std::string::npos) << error.what();
    }
}

TEST(DqliteNode, UnbindableAddressIsReportedOnStart) {
    testing::TempDir dir;
    DqliteNode node(NodeConfig{
        .id = kBootstrapNodeId, .address = "@z", .data_dir = dir.path() / "z", .bind_address = "256.0.0.1:1"});
    try {
        node.start();
        FAIL() << "expected dqlite_node";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "dqlite_node");
        EXPECT_NE(std::string(error.what()).find("bind 256.0.0.1:1"), std::string::npos) << error.what();
    }
    EXPECT_FALSE(node.running());
}

TEST(DqliteNode, GeneratedIdsDiffer) {
    const NodeId a = generate_node_id("@a");
    const NodeId b = generate_node_id("@b");
    EXPECT_NE(a, 0u);
    EXPECT_NE(a, b);
}

}  // namespace
}  // namespace microcloud::host::cluster
