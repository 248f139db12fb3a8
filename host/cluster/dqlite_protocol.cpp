// host/cluster/dqlite_protocol.cpp - the messages of the dqlite wire protocol (version 1).
#include "cluster/dqlite_protocol.hpp"

#include "cluster/dqlite_wire.hpp"
#include "common/error.hpp"

#include <algorithm>
#include <cstddef>

namespace microcloud::host::cluster {

namespace {

Message make(RequestType type, WireWriter& writer) {
    return Message{static_cast<std::uint8_t>(type), 0, writer.take()};
}

Message make(ResponseType type, WireWriter& writer) {
    return Message{static_cast<std::uint8_t>(type), 0, writer.take()};
}

Message one_word(RequestType type, std::uint64_t value) {
    WireWriter writer;
    writer.put_uint64(value);
    return make(type, writer);
}

std::string type_label(std::uint8_t type) {
    const auto name = response_name(static_cast<ResponseType>(type));
    return name == "UNKNOWN" ? "type " + std::to_string(type) : std::string(name);
}

// A reader over the body once the message is known to be of the expected type.
WireReader body_of(const Message& message, ResponseType expected) {
    if (message.type != static_cast<std::uint8_t>(expected)) {
        throw Error("dqlite_protocol", "unexpected dqlite response: got " + type_label(message.type) + ", expected " +
                                           std::string(response_name(expected)));
    }
    return WireReader(message.body);
}

// A count read from the body, bounded by what the rest of the body could hold.
std::size_t bounded_count(WireReader& reader, std::size_t min_item_size, std::string_view what) {
    const std::uint64_t count = reader.get_uint64();
    if (count > reader.remaining() / min_item_size) {
        throw Error("dqlite_protocol", "malformed dqlite message: " + std::string(what) + " count " +
                                           std::to_string(count) + " does not fit in the " +
                                           std::to_string(reader.remaining()) + " bytes left");
    }
    return static_cast<std::size_t>(count);
}

}  // namespace

std::string_view request_name(RequestType type) {
    switch (type) {
        case RequestType::leader:
            return "LEADER";
        case RequestType::client:
            return "CLIENT";
        case RequestType::heartbeat:
            return "HEARTBEAT";
        case RequestType::open:
            return "OPEN";
        case RequestType::prepare:
            return "PREPARE";
        case RequestType::exec:
            return "EXEC";
        case RequestType::query:
            return "QUERY";
        case RequestType::finalize:
            return "FINALIZE";
        case RequestType::exec_sql:
            return "EXEC_SQL";
        case RequestType::query_sql:
            return "QUERY_SQL";
        case RequestType::interrupt:
            return "INTERRUPT";
        case RequestType::connect:
            return "CONNECT";
        case RequestType::add:
            return "ADD";
        case RequestType::assign:
            return "ASSIGN";
        case RequestType::remove:
            return "REMOVE";
        case RequestType::dump:
            return "DUMP";
        case RequestType::cluster:
            return "CLUSTER";
        case RequestType::transfer:
            return "TRANSFER";
        case RequestType::describe:
            return "DESCRIBE";
        case RequestType::weight:
            return "WEIGHT";
    }
    return "UNKNOWN";
}

std::string_view response_name(ResponseType type) {
    switch (type) {
        case ResponseType::failure:
            return "FAILURE";
        case ResponseType::server:
            return "SERVER";
        case ResponseType::welcome:
            return "WELCOME";
        case ResponseType::servers:
            return "SERVERS";
        case ResponseType::db:
            return "DB";
        case ResponseType::stmt:
            return "STMT";
        case ResponseType::result:
            return "RESULT";
        case ResponseType::rows:
            return "ROWS";
        case ResponseType::empty:
            return "EMPTY";
        case ResponseType::files:
            return "FILES";
        case ResponseType::metadata:
            return "METADATA";
    }
    return "UNKNOWN";
}

std::string_view role_name(Role role) {
    switch (role) {
        case Role::voter:
            return "voter";
        case Role::standby:
            return "stand-by";
        case Role::spare:
            return "spare";
    }
    return "unknown";
}

std::optional<Role> parse_role(std::string_view name) {
    if (name == "voter") return Role::voter;
    if (name == "stand-by" || name == "standby") return Role::standby;
    if (name == "spare") return Role::spare;
    return std::nullopt;
}

std::array<std::uint8_t, kHeaderSize> encode_header(const Header& header) {
    WireWriter writer;
    writer.put_uint32(header.words);
    writer.put_uint8(header.type);
    writer.put_uint8(header.schema);
    writer.put_uint8(static_cast<std::uint8_t>(header.extra));
    writer.put_uint8(static_cast<std::uint8_t>(header.extra >> 8));
    std::array<std::uint8_t, kHeaderSize> bytes{};
    std::copy(writer.bytes().begin(), writer.bytes().end(), bytes.begin());
    return bytes;
}

Header decode_header(std::span<const std::uint8_t, kHeaderSize> bytes) {
    WireReader reader(bytes);
    Header header;
    header.words = reader.get_uint32();
    header.type = reader.get_uint8();
    header.schema = reader.get_uint8();
    const std::uint8_t low = reader.get_uint8();
    const std::uint8_t high = reader.get_uint8();
    header.extra = static_cast<std::uint16_t>(low | high << 8);
    return header;
}

std::array<std::uint8_t, 8> encode_handshake(std::uint64_t version) {
    std::array<std::uint8_t, 8> bytes{};
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        bytes[i] = static_cast<std::uint8_t>(version >> (8 * i));
    }
    return bytes;
}

std::vector<std::uint8_t> encode_message(const Message& message) {
    if (message.body.size() % kWordSize != 0) {
        throw Error("dqlite_protocol", "cannot send a dqlite message whose body is " +
                                           std::to_string(message.body.size()) + " bytes (not whole words)");
    }
    const Header header{static_cast<std::uint32_t>(message.body.size() / kWordSize), message.type, message.schema, 0};
    const auto head = encode_header(header);
    // Sized once and copied into (GCC 12 warns falsely about insert() of a range here).
    std::vector<std::uint8_t> bytes(head.size() + message.body.size());
    std::copy(head.begin(), head.end(), bytes.begin());
    std::copy(message.body.begin(), message.body.end(), bytes.begin() + static_cast<std::ptrdiff_t>(head.size()));
    return bytes;
}

Message decode_message(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < kHeaderSize) {
        throw Error("dqlite_protocol", "malformed dqlite message: " + std::to_string(bytes.size()) +
                                           " bytes, shorter than the 8-byte header");
    }
    const Header header = decode_header(bytes.first<kHeaderSize>());
    const std::size_t body_size = std::size_t{header.words} * kWordSize;
    if (bytes.size() - kHeaderSize != body_size) {
        throw Error("dqlite_protocol", "malformed dqlite message: the header announces " + std::to_string(body_size) +
                                           " body bytes, " + std::to_string(bytes.size() - kHeaderSize) + " follow");
    }
    return Message{header.type, header.schema, std::vector<std::uint8_t>(bytes.begin() + kHeaderSize, bytes.end())};
}

Message encode_leader() {
    return one_word(RequestType::leader, 0);
}

Message encode_client(std::uint64_t client_id) {
    return one_word(RequestType::client, client_id);
}

Message encode_open(std::string_view database) {
    WireWriter writer;
    writer.put_text(database);
    writer.put_uint64(0);  // flags, unused by the server
    writer.put_text("");   // VFS name, unused by the server
    return make(RequestType::open, writer);
}

Message encode_prepare(std::uint32_t db_id, std::string_view sql) {
    WireWriter writer;
    writer.put_uint64(db_id);
    writer.put_text(sql);
    return make(RequestType::prepare, writer);
}

namespace {

Message statement_request(RequestType type, std::uint32_t db_id, std::uint32_t stmt_id,
                          const std::vector<Value>* params) {
    WireWriter writer;
    writer.put_uint32(db_id);
    writer.put_uint32(stmt_id);
    if (params != nullptr) {
        writer.put_params(*params);
    }
    return make(type, writer);
}

Message sql_request(RequestType type, std::uint32_t db_id, std::string_view sql, const std::vector<Value>& params) {
    WireWriter writer;
    writer.put_uint64(db_id);
    writer.put_text(sql);
    writer.put_params(params);
    return make(type, writer);
}

}  // namespace

Message encode_exec(std::uint32_t db_id, std::uint32_t stmt_id, const std::vector<Value>& params) {
    return statement_request(RequestType::exec, db_id, stmt_id, &params);
}

Message encode_query(std::uint32_t db_id, std::uint32_t stmt_id, const std::vector<Value>& params) {
    return statement_request(RequestType::query, db_id, stmt_id, &params);
}

Message encode_finalize(std::uint32_t db_id, std::uint32_t stmt_id) {
    return statement_request(RequestType::finalize, db_id, stmt_id, nullptr);
}

Message encode_exec_sql(std::uint32_t db_id, std::string_view sql, const std::vector<Value>& params) {
    return sql_request(RequestType::exec_sql, db_id, sql, params);
}

Message encode_query_sql(std::uint32_t db_id, std::string_view sql, const std::vector<Value>& params) {
    return sql_request(RequestType::query_sql, db_id, sql, params);
}

Message encode_interrupt(std::uint32_t db_id) {
    return one_word(RequestType::interrupt, db_id);
}

Message encode_add(NodeId id, std::string_view address) {
    WireWriter writer;
    writer.put_uint64(id);
    writer.put_text(address);
    return make(RequestType::add, writer);
}

Message encode_assign(NodeId id, Role role) {
    WireWriter writer;
    writer.put_uint64(id);
    writer.put_uint64(static_cast<std::uint64_t>(role));
    return make(RequestType::assign, writer);
}

Message encode_remove(NodeId id) {
    return one_word(RequestType::remove, id);
}

Message encode_cluster(std::uint64_t format) {
    return one_word(RequestType::cluster, format);
}

Message encode_transfer(NodeId id) {
    return one_word(RequestType::transfer, id);
}

Message encode_describe() {
    return one_word(RequestType::describe, 0);
}

Message encode_weight(std::uint64_t weight) {
    return one_word(RequestType::weight, weight);
}

Failure decode_failure(const Message& message) {
    WireReader reader = body_of(message, ResponseType::failure);
    Failure failure;
    failure.code = reader.get_uint64();
    failure.message = reader.get_text();
    return failure;
}

NodeInfo decode_server(const Message& message) {
    WireReader reader = body_of(message, ResponseType::server);
    NodeInfo node;
    node.id = reader.get_uint64();
    node.address = reader.get_text();
    return node;
}

std::uint64_t decode_welcome(const Message& message) {
    return body_of(message, ResponseType::welcome).get_uint64();
}

std::vector<NodeInfo> decode_servers(const Message& message, std::uint64_t format) {
    WireReader reader = body_of(message, ResponseType::servers);
    const std::size_t count = bounded_count(reader, 2 * kWordSize, "node");
    std::vector<NodeInfo> nodes(count);
    for (NodeInfo& node : nodes) {
        node.id = reader.get_uint64();
        node.address = reader.get_text();
        if (format >= kClusterFormatWithRoles) {
            const std::uint64_t role = reader.get_uint64();
            if (role > static_cast<std::uint64_t>(Role::spare)) {
                throw Error("dqlite_protocol", "malformed dqlite message: node " + std::to_string(node.id) +
                                                   " has role code " + std::to_string(role) +
                                                   " (accepted: 0 voter, 1 stand-by, 2 spare)");
            }
            node.role = static_cast<Role>(role);
        }
    }
    return nodes;
}

std::uint32_t decode_db(const Message& message) {
    WireReader reader = body_of(message, ResponseType::db);
    const std::uint32_t id = reader.get_uint32();
    reader.get_uint32();  // padding
    return id;
}

Statement decode_stmt(const Message& message) {
    WireReader reader = body_of(message, ResponseType::stmt);
    Statement statement;
    statement.db_id = reader.get_uint32();
    statement.id = reader.get_uint32();
    statement.params = reader.get_uint64();
    return statement;
}

ExecResult decode_result(const Message& message) {
    WireReader reader = body_of(message, ResponseType::result);
    ExecResult result;
    result.last_insert_id = reader.get_uint64();
    result.rows_affected = reader.get_uint64();
    return result;
}

RowsBatch decode_rows(const Message& message) {
    WireReader reader = body_of(message, ResponseType::rows);
    RowsBatch batch;
    batch.columns.resize(bounded_count(reader, kWordSize, "column"));
    for (std::string& column : batch.columns) {
        column = reader.get_text();
    }
    // Rows follow until an end marker; no row header can look like one (type codes stop at 11).
    for (;;) {
        const std::uint64_t word = reader.peek_uint64();
        if (word == kRowsDone || word == kRowsPart) {
            reader.get_uint64();
            batch.more = word == kRowsPart;
            return batch;
        }
        // A row of no columns takes no bytes: reading one would never reach the end marker.
        if (batch.columns.empty()) {
            throw Error("dqlite_protocol",
                        "malformed dqlite message: a ROWS message without columns holds a row at offset " +
                            std::to_string(reader.offset()));
        }
        batch.rows.push_back(reader.get_row(batch.columns.size()));
    }
}

void decode_empty(const Message& message) {
    body_of(message, ResponseType::empty);
}

Metadata decode_metadata(const Message& message) {
    WireReader reader = body_of(message, ResponseType::metadata);
    Metadata metadata;
    metadata.failure_domain = reader.get_uint64();
    metadata.weight = reader.get_uint64();
    return metadata;
}

Message encode_failure(const Failure& failure) {
    WireWriter writer;
    writer.put_uint64(failure.code);
    writer.put_text(failure.message);
    return make(ResponseType::failure, writer);
}

Message encode_server(const NodeInfo& node) {
    WireWriter writer;
    writer.put_uint64(node.id);
    writer.put_text(node.address);
    return make(ResponseType::server, writer);
}

Message encode_welcome(std::uint64_t heartbeat_timeout_ms) {
    WireWriter writer;
    writer.put_uint64(heartbeat_timeout_ms);
    return make(ResponseType::welcome, writer);
}

Message encode_servers(const std::vector<NodeInfo>& nodes, std::uint64_t format) {
    WireWriter writer;
    writer.put_uint64(nodes.size());
    for (const NodeInfo& node : nodes) {
        writer.put_uint64(node.id);
        writer.put_text(node.address);
        if (format >= kClusterFormatWithRoles) {
            writer.put_uint64(static_cast<std::uint64_t>(node.role));
        }
    }
    return make(ResponseType::servers, writer);
}

Message encode_db(std::uint32_t db_id) {
    WireWriter writer;
    writer.put_uint32(db_id);
    writer.put_uint32(0);
    return make(ResponseType::db, writer);
}

Message encode_stmt(const Statement& statement) {
    WireWriter writer;
    writer.put_uint32(statement.db_id);
    writer.put_uint32(statement.id);
    writer.put_uint64(statement.params);
    return make(ResponseType::stmt, writer);
}

Message encode_result(const ExecResult& result) {
    WireWriter writer;
    writer.put_uint64(result.last_insert_id);
    writer.put_uint64(result.rows_affected);
    return make(ResponseType::result, writer);
}

Message encode_rows(const RowsBatch& batch) {
    WireWriter writer;
    writer.put_uint64(batch.columns.size());
    for (const std::string& column : batch.columns) {
        writer.put_text(column);
    }
    for (const Row& row : batch.rows) {
        writer.put_row(row);
    }
    writer.put_uint64(batch.more ? kRowsPart : kRowsDone);
    return make(ResponseType::rows, writer);
}

Message encode_empty() {
    WireWriter writer;
    writer.put_uint64(0);
    return make(ResponseType::empty, writer);
}

Message encode_metadata(const Metadata& metadata) {
    WireWriter writer;
    writer.put_uint64(metadata.failure_domain);
    writer.put_uint64(metadata.weight);
    return make(ResponseType::metadata, writer);
}

}  // namespace microcloud::host::cluster
