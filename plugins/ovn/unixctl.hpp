// plugins/ovn/unixctl.hpp - JSON-RPC 1.0 to Open vSwitch and OVN daemons over their unix sockets,
// in-process: unixctl commands on a control socket (what `ovs-appctl` and `ovn-appctl` send) and
// OVSDB selects on a database socket (what `ovs-vsctl list` asks). Discovery and the status hook
// ask on every member each time; a process each (ovs-vsctl most of all) cost more than the question.
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace microcloud::plugins::ovn {

// One JSON-RPC reply, or why there is none.
struct JsonRpcReply {
    bool answered = false;  // a reply came
    sdk::Json result;       // its "result"
    sdk::Json error;        // its "error" (null when none)
    std::string why;        // why no reply came
};

// Sends {"method": method, "params": params, "id": 0} on the unix stream socket at `socket` and
// waits up to `timeout` for the reply (the daemon keeps the connection open: read until it parses).
JsonRpcReply jsonrpc_call(const std::string& socket, const std::string& method, const sdk::Json& params,
                          std::chrono::milliseconds timeout);

// What a daemon answered, or why there is no answer.
struct UnixctlReply {
    bool answered = false;  // a reply came (its "result" or its "error")
    bool ok = false;        // the reply carried a result, not an error
    std::string text;       // the result's text, the daemon's error, or why nothing came
};

// Sends `command` with `args` to the control socket at `socket` and waits up to `timeout` for the
// reply.
UnixctlReply unixctl_call(const std::string& socket, const std::string& command, const std::vector<std::string>& args,
                          std::chrono::milliseconds timeout);

// The rows an OVSDB select returned, or why there are none.
struct OvsdbSelect {
    bool ok = false;
    std::vector<sdk::Json> rows;  // each an object of the asked columns, values as plain_datum gives them
    std::string error;            // the connection's failure, or the database's error
};

// Selects `columns` of every row of `table` in `database` from the ovsdb-server at `socket`.
OvsdbSelect ovsdb_select(const std::string& socket, const std::string& database, const std::string& table,
                         const std::vector<std::string>& columns, std::chrono::milliseconds timeout);

// The control socket of the daemon `name` (e.g. "ovn-controller") that writes its pid file in
// `rundir`: <rundir>/<name>.<pid>.ctl, as `ovn-appctl -t <name>` finds it; "" when the pid file
// cannot be read.
std::string daemon_control_socket(const std::string& rundir, const std::string& name);

}  // namespace microcloud::plugins::ovn
