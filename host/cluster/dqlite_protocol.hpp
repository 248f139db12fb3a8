// host/cluster/dqlite_protocol.hpp - the messages of the dqlite wire protocol (version 1, as spoken
// by libdqlite 1.11): handshake, header, request encoders and response decoders. No I/O here.
#pragma once

#include "cluster/dqlite_value.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace microcloud::host::cluster {

using NodeId = std::uint64_t;

// The first word a client sends on a new connection.
inline constexpr std::uint64_t kProtocolVersion = 1;
inline constexpr std::size_t kHeaderSize = 8;
// End markers of a ROWS body: the result set is complete, or another ROWS message follows.
inline constexpr std::uint64_t kRowsDone = 0xffffffffffffffffULL;
inline constexpr std::uint64_t kRowsPart = 0xeeeeeeeeeeeeeeeeULL;
// The largest body this client accepts; a larger header is treated as a corrupt stream.
inline constexpr std::size_t kMaxBodySize = 64u * 1024 * 1024;
// CLUSTER request formats: 0 lists id and address, 1 adds the role.
inline constexpr std::uint64_t kClusterFormatWithRoles = 1;
// FAILURE codes meaning "ask the leader instead": SQLITE_IOERR_NOT_LEADER and
// SQLITE_IOERR_LEADERSHIP_LOST (SQLITE_IOERR | 40 << 8, SQLITE_IOERR | 41 << 8).
inline constexpr std::uint64_t kFailureNotLeader = 10 | (40 << 8);
inline constexpr std::uint64_t kFailureLeadershipLost = 10 | (41 << 8);

enum class RequestType : std::uint8_t {
    leader = 0,
    client = 1,
    heartbeat = 2,
    open = 3,
    prepare = 4,
    exec = 5,
    query = 6,
    finalize = 7,
    exec_sql = 8,
    query_sql = 9,
    interrupt = 10,
    connect = 11,
    add = 12,
    assign = 13,
    remove = 14,
    dump = 15,
    cluster = 16,
    transfer = 17,
    describe = 18,
    weight = 19,
};

enum class ResponseType : std::uint8_t {
    failure = 0,
    server = 1,  // also the LEADER answer
    welcome = 2,
    servers = 3,
    db = 4,
    stmt = 5,
    result = 6,
    rows = 7,
    empty = 8,
    files = 9,
    metadata = 10,
};

enum class Role : std::uint64_t { voter = 0, standby = 1, spare = 2 };

std::string_view request_name(RequestType type);    // "EXEC", "QUERY_SQL", ...
std::string_view response_name(ResponseType type);  // "ROWS", "FAILURE", ...
std::string_view role_name(Role role);              // "voter", "stand-by", "spare"
// Accepts "voter", "stand-by" (or "standby") and "spare".
std::optional<Role> parse_role(std::string_view name);

// The one-word header in front of every message.
struct Header {
    std::uint32_t words = 0;  // body size in 8-byte words
    std::uint8_t type = 0;
    std::uint8_t schema = 0;  // revision of the body layout
    std::uint16_t extra = 0;  // unused
    friend bool operator==(const Header&, const Header&) = default;
};

std::array<std::uint8_t, kHeaderSize> encode_header(const Header& header);
Header decode_header(std::span<const std::uint8_t, kHeaderSize> bytes);
std::array<std::uint8_t, 8> encode_handshake(std::uint64_t version = kProtocolVersion);

// One message: type, schema and a body of whole words.
struct Message {
    std::uint8_t type = 0;
    std::uint8_t schema = 0;
    std::vector<std::uint8_t> body{};
    friend bool operator==(const Message&, const Message&) = default;
};

// Header and body, ready to write.
std::vector<std::uint8_t> encode_message(const Message& message);
// Header plus body from one buffer; throws Error("dqlite_protocol") when it is not exactly that.
Message decode_message(std::span<const std::uint8_t> bytes);

// Requests.
Message encode_leader();
Message encode_client(std::uint64_t client_id);
Message encode_open(std::string_view database);
Message encode_prepare(std::uint32_t db_id, std::string_view sql);
Message encode_exec(std::uint32_t db_id, std::uint32_t stmt_id, const std::vector<Value>& params);
Message encode_query(std::uint32_t db_id, std::uint32_t stmt_id, const std::vector<Value>& params);
Message encode_finalize(std::uint32_t db_id, std::uint32_t stmt_id);
Message encode_exec_sql(std::uint32_t db_id, std::string_view sql, const std::vector<Value>& params);
Message encode_query_sql(std::uint32_t db_id, std::string_view sql, const std::vector<Value>& params);
Message encode_interrupt(std::uint32_t db_id);
Message encode_add(NodeId id, std::string_view address);
Message encode_assign(NodeId id, Role role);
Message encode_remove(NodeId id);
Message encode_cluster(std::uint64_t format = kClusterFormatWithRoles);
Message encode_transfer(NodeId id);
Message encode_describe();
Message encode_weight(std::uint64_t weight);

// Responses.
struct Failure {
    std::uint64_t code = 0;  // an SQLite (extended) result code, or a dqlite one
    std::string message{};
    friend bool operator==(const Failure&, const Failure&) = default;
};

struct NodeInfo {
    NodeId id = 0;
    std::string address{};
    Role role = Role::voter;
    friend bool operator==(const NodeInfo&, const NodeInfo&) = default;
};

struct Statement {
    std::uint32_t db_id = 0;
    std::uint32_t id = 0;
    std::uint64_t params = 0;  // how many parameters the statement takes
    friend bool operator==(const Statement&, const Statement&) = default;
};

struct ExecResult {
    std::uint64_t last_insert_id = 0;
    std::uint64_t rows_affected = 0;
    friend bool operator==(const ExecResult&, const ExecResult&) = default;
};

// One ROWS message: every part repeats the column names.
struct RowsBatch {
    std::vector<std::string> columns{};
    std::vector<Row> rows{};
    bool more = false;  // another ROWS message follows
    friend bool operator==(const RowsBatch&, const RowsBatch&) = default;
};

struct Metadata {
    std::uint64_t failure_domain = 0;
    std::uint64_t weight = 0;
    friend bool operator==(const Metadata&, const Metadata&) = default;
};

// Each decoder checks the message type and throws Error("dqlite_protocol") on a mismatch or a
// malformed body.
Failure decode_failure(const Message& message);
// SERVER (the LEADER answer): id 0 and an empty address when the node knows no leader.
NodeInfo decode_server(const Message& message);
std::uint64_t decode_welcome(const Message& message);  // the heartbeat timeout, in milliseconds
std::vector<NodeInfo> decode_servers(const Message& message, std::uint64_t format = kClusterFormatWithRoles);
std::uint32_t decode_db(const Message& message);
Statement decode_stmt(const Message& message);
ExecResult decode_result(const Message& message);
RowsBatch decode_rows(const Message& message);
void decode_empty(const Message& message);
Metadata decode_metadata(const Message& message);

// Response encoders, for servers and tests.
Message encode_failure(const Failure& failure);
Message encode_server(const NodeInfo& node);
Message encode_welcome(std::uint64_t heartbeat_timeout_ms);
Message encode_servers(const std::vector<NodeInfo>& nodes, std::uint64_t format = kClusterFormatWithRoles);
Message encode_db(std::uint32_t db_id);
Message encode_stmt(const Statement& statement);
Message encode_result(const ExecResult& result);
Message encode_rows(const RowsBatch& batch);
Message encode_empty();
Message encode_metadata(const Metadata& metadata);

}  // namespace microcloud::host::cluster
