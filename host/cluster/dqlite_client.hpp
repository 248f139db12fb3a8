// host/cluster/dqlite_client.hpp - a synchronous dqlite client over one connection: open a
// database, run statements with parameters, read typed rows, manage cluster membership.
#pragma once

#include "cluster/dqlite_connection.hpp"
#include "cluster/dqlite_dial.hpp"
#include "cluster/dqlite_protocol.hpp"
#include "cluster/dqlite_value.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace microcloud::host::cluster {

struct ClientOptions {
    // How to reach an address; empty means dial_address (TCP host:port or abstract "@name")
    // with `dial_timeout`.
    Dialer dial{};
    std::chrono::milliseconds dial_timeout = kDefaultDialTimeout;
    // Limit for each request, from sending it to its last response message.
    std::chrono::milliseconds request_timeout = kDefaultRequestTimeout;
};

// Every call throws Error: "dqlite_not_leader" (ask the leader), "dqlite_failure" (SQLite or raft
// refused it; details carry sqlite_code and sqlite_message), "dqlite_timeout",
// "dqlite_unreachable" (the connection is gone), "dqlite_protocol" (a malformed answer),
// "dqlite_no_database" (a statement before open()). After a timeout, unreachable or protocol
// error this client is unusable; a failure leaves it usable.
class Client {
public:
    explicit Client(Connection connection) : connection_(std::move(connection)) {}

    // Connects to one node, leader or not.
    static Client connect(const std::string& address, const ClientOptions& options = {});

    const std::string& address() const noexcept { return connection_.address(); }
    Connection& connection() noexcept { return connection_; }

    // The leader as this node knows it; nullopt while there is none (or this node is no voter).
    std::optional<NodeInfo> leader();
    // Registers the client (CLIENT request); returns the server's heartbeat timeout in ms.
    std::uint64_t register_client(std::uint64_t client_id = 0);

    // Opens (creating it if needed) the database this connection works on; one per connection.
    void open(const std::string& database);
    bool has_database() const noexcept { return db_id_.has_value(); }

    Statement prepare(const std::string& sql);
    ExecResult exec(const Statement& statement, const std::vector<Value>& params = {});
    // Reads every ROWS part of the answer.
    Rows query(const Statement& statement, const std::vector<Value>& params = {});
    void finalize(const Statement& statement);

    // Prepare, run and finalize one statement.
    ExecResult exec(const std::string& sql, const std::vector<Value>& params = {});
    Rows query(const std::string& sql, const std::vector<Value>& params = {});

    // SQL text run on the server in one request: exec_sql runs every statement in turn (params bind
    // to the first) and returns the result of the last; query_sql runs the first statement only.
    ExecResult exec_sql(const std::string& sql, const std::vector<Value>& params = {});
    Rows query_sql(const std::string& sql, const std::vector<Value>& params = {});

    // Membership; all but cluster() and describe() must reach the leader. A node is added as a
    // spare, then assign() changes its role (to voter once it has caught up).
    void add(NodeId id, const std::string& address);
    void assign(NodeId id, Role role);
    void remove(NodeId id);
    std::vector<NodeInfo> cluster();
    // Hands leadership to the voter `id`.
    void transfer(NodeId id);
    Metadata describe();
    void set_weight(std::uint64_t weight);

private:
    std::uint32_t database(RequestType request) const;
    Rows read_rows(const Message& request);

    Connection connection_;
    std::optional<std::uint32_t> db_id_{};
};

}  // namespace microcloud::host::cluster
