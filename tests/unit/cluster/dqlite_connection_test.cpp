// tests/unit/cluster/dqlite_connection_test.cpp - the client over a socketpair whose other end
// plays a scripted dqlite node: bytes sent, ROWS parts joined, failures mapped, timeouts, and
// dialing errors.
#include "cluster/dqlite_client.hpp"
#include "cluster/dqlite_dial.hpp"
#include "cluster/dqlite_leader.hpp"
#include "common/error.hpp"

#include "cluster_test_support.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include <sys/socket.h>
#include <unistd.h>

namespace microcloud::host::cluster {
namespace {

using namespace std::chrono_literals;
using testing::bytes;
using testing::Bytes;
using testing::word;

// A client whose peer is the test: responses are queued up front, requests read back afterwards.
class ScriptedPeer {
public:
    ScriptedPeer() {
        int fds[2];
        EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
        client_end_ = UniqueFd(fds[0]);
        peer_ = UniqueFd(fds[1]);
    }

    Client client(std::chrono::milliseconds timeout = 2000ms) {
        return Client(Connection(std::move(client_end_), "@scripted", timeout));
    }

    UniqueFd take_client_end() { return std::move(client_end_); }

    void respond(const Message& message) { write(encode_message(message)); }
    void write(const Bytes& raw) { ASSERT_EQ(::write(peer_.get(), raw.data(), raw.size()), ssize_t(raw.size())); }

    // Everything the client has sent so far.
    Bytes sent() {
        Bytes all;
        std::uint8_t buffer[4096];
        for (;;) {
            const ssize_t got = ::recv(peer_.get(), buffer, sizeof buffer, MSG_DONTWAIT);
            if (got <= 0) {
                return all;
            }
            all.insert(all.end(), buffer, buffer + got);
        }
    }

    void hang_up() { peer_.reset(); }

private:
    UniqueFd client_end_;
    UniqueFd peer_;
};

void expect_error(const std::function<void()>& call, const std::string& code, const std::string& fragment = "") {
    try {
        call();
        FAIL() << "expected " << code;
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), code) << error.what();
        EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos) << error.what();
    }
}

TEST(DqliteConnection, SendsTheHandshakeThenFramedRequests) {
    ScriptedPeer peer;
    peer.respond(encode_server({1, "@scripted", Role::voter}));
    Client client = peer.client();
    const auto leader = client.leader();
    ASSERT_TRUE(leader);
    EXPECT_EQ(leader->address, "@scripted");
    EXPECT_EQ(peer.sent(), bytes({word(1), {1, 0, 0, 0, 0, 0, 0, 0}, word(0)}));
}

TEST(DqliteConnection, LeaderUnknownIsNullopt) {
    ScriptedPeer peer;
    peer.respond(encode_server({0, "", Role::voter}));
    EXPECT_EQ(peer.client().leader(), std::nullopt);
}

TEST(DqliteConnection, JoinsRowsPartsIntoOneResult) {
    ScriptedPeer peer;
    peer.respond(encode_db(0));
    peer.respond(encode_rows({{"n", "s"}, {{std::int64_t{1}, std::string("a")}}, true}));
    peer.respond(encode_rows({{"n", "s"}, {{std::int64_t{2}, std::string("b")}}, true}));
    peer.respond(encode_rows({{"n", "s"}, {{std::int64_t{3}, Null{}}}, false}));
    Client client = peer.client();
    client.open("db");
    const Rows rows = client.query_sql("SELECT n, s FROM t");
    EXPECT_EQ(rows.columns, (std::vector<std::string>{"n", "s"}));
    EXPECT_EQ(rows.rows, (std::vector<Row>{{std::int64_t{1}, std::string("a")},
                                           {std::int64_t{2}, std::string("b")},
                                           {std::int64_t{3}, Null{}}}));
}

TEST(DqliteConnection, FailureBecomesDqliteFailureWithSqliteCodeAndMessage) {
    ScriptedPeer peer;
    peer.respond(encode_db(0));
    peer.respond(encode_failure({1, "no such table: missing"}));
    peer.respond(encode_result({0, 0}));
    Client client = peer.client();
    client.open("db");
    try {
        client.exec_sql("DELETE FROM missing");
        FAIL() << "expected dqlite_failure";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "dqlite_failure");
        EXPECT_EQ(std::string(error.what()),
                  "dqlite node @scripted failed EXEC_SQL: no such table: missing (SQLite error 1)");
        EXPECT_EQ(error.details()["sqlite_code"], 1);
        EXPECT_EQ(error.details()["sqlite_message"], "no such table: missing");
        EXPECT_EQ(error.details()["request"], "EXEC_SQL");
    }
    // The connection stays in step after a failure.
    EXPECT_EQ(client.exec_sql("SELECT 1"), (ExecResult{0, 0}));
}

TEST(DqliteConnection, NotLeaderFailureBecomesDqliteNotLeader) {
    ScriptedPeer peer;
    peer.respond(encode_failure({kFailureNotLeader, "not leader"}));
    Client client = peer.client();
    expect_error([&] { client.add(2, "@b"); }, "dqlite_not_leader", "refused ADD: not leader");
}

TEST(DqliteConnection, LeadershipLostIsAlsoNotLeader) {
    ScriptedPeer peer;
    peer.respond(encode_failure({kFailureLeadershipLost, "disk I/O error"}));
    Client client = peer.client();
    expect_error([&] { client.transfer(2); }, "dqlite_not_leader");
}

TEST(DqliteConnection, SilentPeerTimesOutAndTheConnectionIsDropped) {
    ScriptedPeer peer;
    Client client = peer.client(150ms);
    const auto started = std::chrono::steady_clock::now();
    expect_error([&] { client.leader(); }, "dqlite_timeout", "did not complete the response to LEADER within 150 ms");
    const auto waited = std::chrono::steady_clock::now() - started;
    EXPECT_GE(waited, 140ms);
    EXPECT_LT(waited, 2s);
    EXPECT_TRUE(client.connection().broken());
    expect_error([&] { client.leader(); }, "dqlite_unreachable", "dropped after an earlier error");
}

TEST(DqliteConnection, PeerHangingUpIsUnreachable) {
    ScriptedPeer peer;
    Client client = peer.client();
    peer.hang_up();
    expect_error([&] { client.cluster(); }, "dqlite_unreachable");
}

TEST(DqliteConnection, UnexpectedResponseTypeIsAProtocolError) {
    ScriptedPeer peer;
    peer.respond(encode_empty());
    Client client = peer.client();
    expect_error([&] { client.cluster(); }, "dqlite_protocol", "with message type 8 (expected SERVERS)");
    EXPECT_TRUE(client.connection().broken());
}

TEST(DqliteConnection, OversizedBodyIsAProtocolError) {
    ScriptedPeer peer;
    peer.write({0xff, 0xff, 0xff, 0x00, 3, 0, 0, 0});
    Client client = peer.client();
    expect_error([&] { client.leader(); }, "dqlite_protocol", "accepted: at most");
}

TEST(DqliteConnection, StatementBeforeOpenIsRefusedLocally) {
    ScriptedPeer peer;
    Client client = peer.client();
    expect_error([&] { client.query_sql("SELECT 1"); }, "dqlite_no_database", "call open() first");
}

TEST(DqliteConnection, PreparedStatementIsFinalizedAfterAFailure) {
    ScriptedPeer peer;
    peer.respond(encode_db(0));
    peer.respond(encode_stmt({0, 4, 1}));
    peer.respond(encode_failure({19, "UNIQUE constraint failed: t.id"}));
    peer.respond(encode_empty());
    Client client = peer.client();
    client.open("db");
    peer.sent();
    expect_error([&] { client.exec("INSERT INTO t VALUES (?)", {std::int64_t{1}}); }, "dqlite_failure",
                 "UNIQUE constraint failed");
    const Bytes sent = peer.sent();
    const Bytes finalize = encode_message(encode_finalize(0, 4));
    ASSERT_GE(sent.size(), finalize.size());
    EXPECT_EQ(Bytes(sent.end() - static_cast<std::ptrdiff_t>(finalize.size()), sent.end()), finalize);
}

TEST(DqliteDial, InvalidAddressesAreNamed) {
    expect_error([] { dial_address("no-port"); }, "invalid_address", "no port given");
    expect_error([] { dial_address("[::1]"); }, "invalid_address", "[address]:port");
    expect_error([] { dial_address("host:http"); }, "invalid_address", "not a number");
    expect_error([] { dial_address(""); }, "invalid_address", "empty");
    expect_error([] { dial_address("@"); }, "invalid_address", "abstract socket name");
}

TEST(DqliteDial, NobodyListeningIsUnreachable) {
    expect_error([] { dial_address(testing::abstract_address("nobody"), 200ms); }, "dqlite_unreachable",
                 "Connection refused");
}

TEST(DqliteDial, DialerReturningNoSocketIsUnreachable) {
    const Dialer broken = [](const std::string&) { return -1; };
    expect_error([&] { dial_with(broken, "@x"); }, "dqlite_unreachable", "the dialer returned no connection");
}

TEST(DqliteLeader, NoReachableMemberIsUnreachable) {
    LeaderSearch search;
    search.addresses = {testing::abstract_address("gone-1"), testing::abstract_address("gone-2")};
    search.timeout = 250ms;
    try {
        connect_to_leader(search);
        FAIL() << "expected dqlite_unreachable";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "dqlite_unreachable");
        EXPECT_EQ(error.details()["problems"].size(), 2u);
    }
}

TEST(DqliteLeader, CustomDialerCarriesTheSearch) {
    ScriptedPeer peer;
    peer.respond(encode_server({1, "@tunnel", Role::voter}));
    std::vector<std::string> dialed;
    LeaderSearch search;
    search.addresses = {"@tunnel"};
    search.client.dial = [&](const std::string& address) {
        dialed.push_back(address);
        return peer.take_client_end().release();
    };
    Client leader = connect_to_leader(search);
    EXPECT_EQ(leader.address(), "@tunnel");
    EXPECT_EQ(dialed, (std::vector<std::string>{"@tunnel"}));
}

}  // namespace
}  // namespace microcloud::host::cluster
