// host/cluster/dqlite_client.cpp - a synchronous dqlite client over one connection.
#include "cluster/dqlite_client.hpp"

#include "common/error.hpp"

namespace microcloud::host::cluster {

Client Client::connect(const std::string& address, const ClientOptions& options) {
    UniqueFd fd = options.dial ? dial_with(options.dial, address) : dial_address(address, options.dial_timeout);
    return Client(Connection(std::move(fd), address, options.request_timeout));
}

std::optional<NodeInfo> Client::leader() {
    NodeInfo node = decode_server(connection_.call(encode_leader(), ResponseType::server));
    if (node.id == 0 || node.address.empty()) {
        return std::nullopt;
    }
    return node;
}

std::uint64_t Client::register_client(std::uint64_t client_id) {
    return decode_welcome(connection_.call(encode_client(client_id), ResponseType::welcome));
}

void Client::open(const std::string& database) {
    db_id_ = decode_db(connection_.call(encode_open(database), ResponseType::db));
}

Statement Client::prepare(const std::string& sql) {
    return decode_stmt(connection_.call(encode_prepare(database(RequestType::prepare), sql), ResponseType::stmt));
}

ExecResult Client::exec(const Statement& statement, const std::vector<Value>& params) {
    database(RequestType::exec);
    return decode_result(connection_.call(encode_exec(statement.db_id, statement.id, params), ResponseType::result));
}

Rows Client::query(const Statement& statement, const std::vector<Value>& params) {
    database(RequestType::query);
    return read_rows(encode_query(statement.db_id, statement.id, params));
}

void Client::finalize(const Statement& statement) {
    database(RequestType::finalize);
    decode_empty(connection_.call(encode_finalize(statement.db_id, statement.id), ResponseType::empty));
}

namespace {

// Runs `use` on a freshly prepared statement and finalizes it afterwards, also when `use` threw
// a FAILURE (the connection is still in step then).
template <typename Use>
auto with_statement(Client& client, const std::string& sql, Use use) {
    const Statement statement = client.prepare(sql);
    try {
        auto outcome = use(statement);
        client.finalize(statement);
        return outcome;
    } catch (const Error&) {
        if (!client.connection().broken()) {
            try {
                client.finalize(statement);
            } catch (const Error&) {
                // The first error is the one worth reporting.
            }
        }
        throw;
    }
}

}  // namespace

ExecResult Client::exec(const std::string& sql, const std::vector<Value>& params) {
    return with_statement(*this, sql, [&](const Statement& statement) { return exec(statement, params); });
}

Rows Client::query(const std::string& sql, const std::vector<Value>& params) {
    return with_statement(*this, sql, [&](const Statement& statement) { return query(statement, params); });
}

ExecResult Client::exec_sql(const std::string& sql, const std::vector<Value>& params) {
    return decode_result(
        connection_.call(encode_exec_sql(database(RequestType::exec_sql), sql, params), ResponseType::result));
}

Rows Client::query_sql(const std::string& sql, const std::vector<Value>& params) {
    return read_rows(encode_query_sql(database(RequestType::query_sql), sql, params));
}

void Client::add(NodeId id, const std::string& address) {
    decode_empty(connection_.call(encode_add(id, address), ResponseType::empty));
}

void Client::assign(NodeId id, Role role) {
    decode_empty(connection_.call(encode_assign(id, role), ResponseType::empty));
}

void Client::remove(NodeId id) {
    decode_empty(connection_.call(encode_remove(id), ResponseType::empty));
}

std::vector<NodeInfo> Client::cluster() {
    return decode_servers(connection_.call(encode_cluster(kClusterFormatWithRoles), ResponseType::servers),
                          kClusterFormatWithRoles);
}

void Client::transfer(NodeId id) {
    decode_empty(connection_.call(encode_transfer(id), ResponseType::empty));
}

Metadata Client::describe() {
    return decode_metadata(connection_.call(encode_describe(), ResponseType::metadata));
}

void Client::set_weight(std::uint64_t weight) {
    decode_empty(connection_.call(encode_weight(weight), ResponseType::empty));
}

std::uint32_t Client::database(RequestType request) const {
    if (!db_id_) {
        throw Error("dqlite_no_database",
                    "cannot send " + std::string(request_name(request)) + " to dqlite node " + address() +
                        ": no database is open on this connection (call open() first)",
                    {{"address", address()}, {"request", std::string(request_name(request))}});
    }
    return *db_id_;
}

Rows Client::read_rows(const Message& request) {
    const auto type = static_cast<RequestType>(request.type);
    const Deadline until = connection_.deadline();
    connection_.send(request, until);
    Rows rows;
    for (bool first = true;; first = false) {
        const Message message = connection_.receive(type, ResponseType::rows, until);
        RowsBatch batch;
        try {
            batch = decode_rows(message);
        } catch (const Error&) {
            connection_.mark_broken();  // further parts may be on their way
            throw;
        }
        if (first) {
            rows.columns = std::move(batch.columns);
        }
        rows.rows.insert(rows.rows.end(), std::make_move_iterator(batch.rows.begin()),
                         std::make_move_iterator(batch.rows.end()));
        if (!batch.more) {
            return rows;
        }
    }
}

}  // namespace microcloud::host::cluster
