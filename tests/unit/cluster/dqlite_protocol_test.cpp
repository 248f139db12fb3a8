// tests/unit/cluster/dqlite_protocol_test.cpp - whole dqlite messages against frames written out by
// hand from the wire protocol description: exact request bytes, decoded responses, round trips.
#include "cluster/dqlite_protocol.hpp"
#include "common/error.hpp"

#include "cluster_test_support.hpp"

#include <gtest/gtest.h>

namespace microcloud::host::cluster {
namespace {

using testing::bytes;
using testing::Bytes;
using testing::text;
using testing::word;

// Header word: body size in words (4 bytes LE), type, schema, two unused bytes.
Bytes header(std::uint32_t words, std::uint8_t type, std::uint8_t schema = 0) {
    return {static_cast<std::uint8_t>(words),
            static_cast<std::uint8_t>(words >> 8),
            static_cast<std::uint8_t>(words >> 16),
            static_cast<std::uint8_t>(words >> 24),
            type,
            schema,
            0,
            0};
}

Message parse(const Bytes& frame) {
    return decode_message(frame);
}

TEST(DqliteProtocol, HandshakeIsVersionOneInOneWord) {
    const auto handshake = encode_handshake();
    EXPECT_EQ(Bytes(handshake.begin(), handshake.end()), (Bytes{1, 0, 0, 0, 0, 0, 0, 0}));
}

TEST(DqliteProtocol, HeaderLayout) {
    const Header h{0x01020304, 7, 1, 0xbeef};
    const auto encoded = encode_header(h);
    EXPECT_EQ(Bytes(encoded.begin(), encoded.end()), (Bytes{0x04, 0x03, 0x02, 0x01, 7, 1, 0xef, 0xbe}));
    EXPECT_EQ(decode_header(encoded), h);
}

TEST(DqliteProtocol, SpecExampleHeaderMeans258Words) {
    // "[2 1 0 0] means that the message body consists of 258 words".
    const std::array<std::uint8_t, 8> raw{2, 1, 0, 0, 0, 0, 0, 0};
    EXPECT_EQ(decode_header(raw).words, 258u);
}

TEST(DqliteProtocol, LeaderRequest) {
    EXPECT_EQ(encode_message(encode_leader()), bytes({header(1, 0), word(0)}));
}

TEST(DqliteProtocol, ClientRequest) {
    EXPECT_EQ(encode_message(encode_client(5)), bytes({header(1, 1), word(5)}));
}

TEST(DqliteProtocol, OpenRequest) {
    // name, flags (unused), vfs (unused)
    EXPECT_EQ(encode_message(encode_open("test")), bytes({header(3, 3), text("test"), word(0), text("")}));
}

TEST(DqliteProtocol, PrepareRequest) {
    EXPECT_EQ(encode_message(encode_prepare(0, "SELECT 1")), bytes({header(3, 4), word(0), text("SELECT 1")}));
}

TEST(DqliteProtocol, ExecRequestCarriesTwoUint32IdsThenParameters) {
    const Bytes expected = bytes({header(4, 5),
                                  {0, 0, 0, 0, 1, 0, 0, 0},  // db 0, statement 1
                                  {2, 1, 3, 0, 0, 0, 0, 0},  // 2 params: integer, text
                                  word(7),
                                  text("hi")});
    EXPECT_EQ(encode_message(encode_exec(0, 1, {std::int64_t{7}, std::string("hi")})), expected);
}

TEST(DqliteProtocol, QueryRequest) {
    EXPECT_EQ(encode_message(encode_query(0, 2, {})), bytes({header(2, 6), {0, 0, 0, 0, 2, 0, 0, 0}, word(0)}));
}

TEST(DqliteProtocol, FinalizeRequest) {
    EXPECT_EQ(encode_message(encode_finalize(0, 3)), bytes({header(1, 7), {0, 0, 0, 0, 3, 0, 0, 0}}));
}

TEST(DqliteProtocol, ExecSqlRequest) {
    EXPECT_EQ(encode_message(encode_exec_sql(0, "DELETE FROM t", {std::int64_t{1}})),
              bytes({header(5, 8), word(0), text("DELETE FROM t"), {1, 1, 0, 0, 0, 0, 0, 0}, word(1)}));
}

TEST(DqliteProtocol, QuerySqlRequest) {
    EXPECT_EQ(encode_message(encode_query_sql(0, "SELECT 1", {})),
              bytes({header(4, 9), word(0), text("SELECT 1"), word(0)}));
}

TEST(DqliteProtocol, MembershipRequests) {
    EXPECT_EQ(encode_message(encode_add(5, "@n2")), bytes({header(2, 12), word(5), text("@n2")}));
    EXPECT_EQ(encode_message(encode_assign(0x0102, Role::spare)), bytes({header(2, 13), word(0x0102), word(2)}));
    EXPECT_EQ(encode_message(encode_assign(9, Role::standby)), bytes({header(2, 13), word(9), word(1)}));
    EXPECT_EQ(encode_message(encode_remove(9)), bytes({header(1, 14), word(9)}));
    EXPECT_EQ(encode_message(encode_cluster()), bytes({header(1, 16), word(1)}));
    EXPECT_EQ(encode_message(encode_transfer(3)), bytes({header(1, 17), word(3)}));
    EXPECT_EQ(encode_message(encode_describe()), bytes({header(1, 18), word(0)}));
    EXPECT_EQ(encode_message(encode_weight(4)), bytes({header(1, 19), word(4)}));
    EXPECT_EQ(encode_message(encode_interrupt(0)), bytes({header(1, 10), word(0)}));
}

TEST(DqliteProtocol, FailureResponse) {
    const Failure failure = decode_failure(parse(bytes({header(4, 0), word(1), text("no such table: t")})));
    EXPECT_EQ(failure.code, 1u);
    EXPECT_EQ(failure.message, "no such table: t");
}

TEST(DqliteProtocol, ServerResponseNamesTheLeader) {
    const NodeInfo node = decode_server(parse(bytes({header(3, 1), word(1), text("127.0.0.1:9001")})));
    EXPECT_EQ(node.id, 1u);
    EXPECT_EQ(node.address, "127.0.0.1:9001");
}

TEST(DqliteProtocol, ServerResponseWithoutLeader) {
    const NodeInfo node = decode_server(parse(bytes({header(2, 1), word(0), text("")})));
    EXPECT_EQ(node.id, 0u);
    EXPECT_EQ(node.address, "");
}

TEST(DqliteProtocol, WelcomeResponse) {
    EXPECT_EQ(decode_welcome(parse(bytes({header(1, 2), word(15000)}))), 15000u);
}

TEST(DqliteProtocol, ServersResponseWithRoles) {
    const Bytes frame = bytes({header(7, 3), word(2),                               //
                               word(1), text("@a"), word(0),                        // voter
                               word(0x2dc171858c3155beULL), text("@b"), word(2)});  // spare
    const auto nodes = decode_servers(parse(frame));
    ASSERT_EQ(nodes.size(), 2u);
    EXPECT_EQ(nodes[0], (NodeInfo{1, "@a", Role::voter}));
    EXPECT_EQ(nodes[1], (NodeInfo{0x2dc171858c3155beULL, "@b", Role::spare}));
    EXPECT_EQ(encode_servers(nodes), parse(frame));
}

TEST(DqliteProtocol, ServersResponseWithoutRoles) {
    const auto nodes = decode_servers(parse(bytes({header(3, 3), word(1), word(4), text("@x")})), 0);
    ASSERT_EQ(nodes.size(), 1u);
    EXPECT_EQ(nodes[0].id, 4u);
    EXPECT_EQ(nodes[0].address, "@x");
}

TEST(DqliteProtocol, DbStmtResultEmptyMetadataResponses) {
    EXPECT_EQ(decode_db(parse(bytes({header(1, 4), {0, 0, 0, 0, 0, 0, 0, 0}}))), 0u);
    EXPECT_EQ(decode_stmt(parse(bytes({header(2, 5), {0, 0, 0, 0, 3, 0, 0, 0}, word(2)}))), (Statement{0, 3, 2}));
    EXPECT_EQ(decode_result(parse(bytes({header(2, 6), word(5), word(1)}))), (ExecResult{5, 1}));
    EXPECT_NO_THROW(decode_empty(parse(bytes({header(1, 8), word(0)}))));
    EXPECT_EQ(decode_metadata(parse(bytes({header(2, 10), word(3), word(7)}))), (Metadata{3, 7}));
}

TEST(DqliteProtocol, RowsResponseWithColumnNamesTypesAndDoneMarker) {
    const Bytes frame = bytes({header(10, 7),
                               word(2),
                               text("id"),
                               text("name"),
                               {0x31, 0, 0, 0, 0, 0, 0, 0},
                               word(1),
                               text("a"),  // integer, text
                               {0x51, 0, 0, 0, 0, 0, 0, 0},
                               word(2),
                               word(0),  // integer, null
                               word(0xffffffffffffffffULL)});
    const RowsBatch batch = decode_rows(parse(frame));
    EXPECT_EQ(batch.columns, (std::vector<std::string>{"id", "name"}));
    ASSERT_EQ(batch.rows.size(), 2u);
    EXPECT_EQ(batch.rows[0], (Row{std::int64_t{1}, std::string("a")}));
    EXPECT_EQ(batch.rows[1], (Row{std::int64_t{2}, Null{}}));
    EXPECT_FALSE(batch.more);
    EXPECT_EQ(encode_message(encode_rows(batch)), frame);
}

TEST(DqliteProtocol, RowsResponseWithPartMarkerSaysMoreFollow) {
    const Bytes frame =
        bytes({header(5, 7), word(1), text("n"), {0x01, 0, 0, 0, 0, 0, 0, 0}, word(42), word(0xeeeeeeeeeeeeeeeeULL)});
    const RowsBatch batch = decode_rows(parse(frame));
    EXPECT_TRUE(batch.more);
    EXPECT_EQ(batch.rows, (std::vector<Row>{{std::int64_t{42}}}));
    EXPECT_EQ(encode_message(encode_rows(batch)), frame);
}

TEST(DqliteProtocol, RowsWithEveryValueTypeRoundTrip) {
    RowsBatch batch;
    batch.columns = {"i", "f", "t", "b", "n", "u", "d", "x"};
    batch.rows = {{std::int64_t{-1}, 0.25, std::string("héllo"), Blob{0, 255}, Null{}, UnixTime{-5},
                   Iso8601{"2020-01-01"}, false},
                  {std::int64_t{1} << 40, -3.5, std::string(), Blob{}, Null{}, UnixTime{0}, Iso8601{}, true}};
    EXPECT_EQ(decode_rows(decode_message(encode_message(encode_rows(batch)))), batch);
}

TEST(DqliteProtocol, ResponseRoundTrips) {
    EXPECT_EQ(decode_failure(encode_failure({19, "UNIQUE constraint failed: t.id"})),
              (Failure{19, "UNIQUE constraint failed: t.id"}));
    EXPECT_EQ(decode_server(encode_server({7, "10.0.0.1:9443", Role::voter})).address, "10.0.0.1:9443");
    EXPECT_EQ(decode_welcome(encode_welcome(15000)), 15000u);
    EXPECT_EQ(decode_db(encode_db(0)), 0u);
    EXPECT_EQ(decode_stmt(encode_stmt({0, 9, 4})), (Statement{0, 9, 4}));
    EXPECT_EQ(decode_result(encode_result({10, 3})), (ExecResult{10, 3}));
    EXPECT_EQ(decode_metadata(encode_metadata({2, 8})), (Metadata{2, 8}));
}

TEST(DqliteProtocol, DecoderRejectsTheWrongType) {
    try {
        decode_result(encode_empty());
        FAIL() << "expected dqlite_protocol";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "dqlite_protocol");
        EXPECT_STREQ(error.what(), "unexpected dqlite response: got EMPTY, expected RESULT");
    }
}

TEST(DqliteProtocol, MessageWhoseHeaderDisagreesWithItsBodyIsRejected) {
    try {
        decode_message(bytes({header(2, 8), word(0)}));
        FAIL() << "expected dqlite_protocol";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "dqlite_protocol");
        EXPECT_NE(std::string(error.what()).find("announces 16 body bytes, 8 follow"), std::string::npos);
    }
}

TEST(DqliteProtocol, ServersCountBeyondTheBodyIsRejected) {
    EXPECT_THROW(decode_servers(parse(bytes({header(1, 3), word(1000)}))), Error);
}

TEST(DqliteProtocol, UnknownRoleIsRejected) {
    EXPECT_THROW(decode_servers(parse(bytes({header(4, 3), word(1), word(1), text("@a"), word(7)}))), Error);
}

TEST(DqliteProtocol, RowsWithoutEndMarkerAreRejected) {
    EXPECT_THROW(decode_rows(parse(bytes({header(4, 7), word(1), text("n"), {0x01, 0, 0, 0, 0, 0, 0, 0}, word(1)}))),
                 Error);
}

TEST(DqliteProtocol, RoleNames) {
    EXPECT_EQ(role_name(Role::voter), "voter");
    EXPECT_EQ(role_name(Role::standby), "stand-by");
    EXPECT_EQ(role_name(Role::spare), "spare");
    EXPECT_EQ(parse_role("stand-by"), Role::standby);
    EXPECT_EQ(parse_role("standby"), Role::standby);
    EXPECT_EQ(parse_role("leader"), std::nullopt);
}

}  // namespace
}  // namespace microcloud::host::cluster
