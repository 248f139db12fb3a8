// plugins/ovn/unixctl.cpp - one JSON-RPC request over a unix stream socket, with a deadline; the
// unixctl and OVSDB select questions on top of it.
#include "unixctl.hpp"

#include "ovsdb_json.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace microcloud::plugins::ovn {
namespace {

// Closes the descriptor when it goes out of scope.
struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

JsonRpcReply failed(const std::string& why) {
    JsonRpcReply reply;
    reply.why = why;
    return reply;
}

// A JSON-RPC value as a message: a string as it is, anything else as JSON text.
std::string as_text(const sdk::Json& value) {
    return value.is_string() ? value.get<std::string>() : value.dump();
}

int remaining_ms(std::chrono::steady_clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

}  // namespace

JsonRpcReply jsonrpc_call(const std::string& socket_path, const std::string& method, const sdk::Json& params,
                          std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (socket_path.empty() || socket_path.size() >= sizeof(address.sun_path))
        return failed("no usable control socket path \"" + socket_path + "\"");
    std::memcpy(address.sun_path, socket_path.c_str(), socket_path.size() + 1);
    Fd sock{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)};
    if (sock.fd < 0) return failed(std::string("socket: ") + std::strerror(errno));
    if (::connect(sock.fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0)
        return failed("cannot connect to " + socket_path + ": " + std::strerror(errno));

    const std::string request = sdk::Json{{"method", method}, {"params", params}, {"id", 0}}.dump();
    for (std::size_t sent = 0; sent < request.size();) {
        const ssize_t n = ::send(sock.fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return failed("cannot send to " + socket_path + ": " + std::strerror(errno));
        sent += static_cast<std::size_t>(n);
    }

    // The reply is one JSON object; the daemon keeps the connection open, so read until it parses.
    std::string received;
    for (;;) {
        pollfd waiting{sock.fd, POLLIN, 0};
        const int ready = ::poll(&waiting, 1, remaining_ms(deadline));
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0)
            return failed(socket_path + " did not answer " + method + " within " + std::to_string(timeout.count()) +
                          " ms");
        char buffer[8192];
        const ssize_t n = ::recv(sock.fd, buffer, sizeof(buffer), 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return failed("cannot read from " + socket_path + ": " + std::strerror(errno));
        if (n == 0) return failed(socket_path + " closed the connection before answering " + method);
        received.append(buffer, static_cast<std::size_t>(n));
        if (received.size() > (16u << 20)) return failed(socket_path + " answered more than 16 MiB");
        const std::size_t last = received.find_last_not_of(" \t\r\n");
        if (last == std::string::npos || received[last] != '}') continue;
        const sdk::Json reply = sdk::Json::parse(received, nullptr, false);
        if (reply.is_discarded()) continue;  // not whole yet
        if (!reply.is_object()) return failed(socket_path + " answered something that is not a JSON-RPC reply");
        JsonRpcReply answer;
        answer.answered = true;
        answer.result = reply.value("result", sdk::Json());
        answer.error = reply.value("error", sdk::Json());
        return answer;
    }
}

UnixctlReply unixctl_call(const std::string& socket, const std::string& command, const std::vector<std::string>& args,
                          std::chrono::milliseconds timeout) {
    const JsonRpcReply reply = jsonrpc_call(socket, command, args, timeout);
    if (!reply.answered) return {false, false, reply.why};
    if (!reply.error.is_null()) return {true, false, as_text(reply.error)};
    return {true, true, as_text(reply.result)};
}

OvsdbSelect ovsdb_select(const std::string& socket, const std::string& database, const std::string& table,
                         const std::vector<std::string>& columns, std::chrono::milliseconds timeout) {
    const sdk::Json select{{"op", "select"}, {"table", table}, {"where", sdk::Json::array()}, {"columns", columns}};
    const JsonRpcReply reply = jsonrpc_call(socket, "transact", sdk::Json::array({database, select}), timeout);
    OvsdbSelect out;
    if (!reply.answered) {
        out.error = reply.why;
        return out;
    }
    // A failed operation answers [{"error": ..., "details": ...}] in "result".
    const sdk::Json first = reply.result.is_array() && !reply.result.empty() && reply.result[0].is_object()
                                ? reply.result[0]
                                : sdk::Json::object();
    const sdk::Json error = !reply.error.is_null() ? reply.error : first.value("error", sdk::Json());
    if (!error.is_null()) {
        const std::string details = first.value("details", "");
        out.error = "the database refused to list " + table + ": " + as_text(error) +
                    (details.empty() ? "" : " (" + details + ")");
        return out;
    }
    const sdk::Json rows = first.value("rows", sdk::Json());
    if (!rows.is_array()) {
        out.error = "the database answered no rows for " + table + ": " + reply.result.dump().substr(0, 200);
        return out;
    }
    for (const sdk::Json& row : rows) out.rows.push_back(plain_row(row));
    out.ok = true;
    return out;
}

std::string daemon_control_socket(const std::string& rundir, const std::string& name) {
    std::ifstream in(rundir + "/" + name + ".pid");
    long pid = 0;
    if (!(in >> pid) || pid <= 0) return {};
    return rundir + "/" + name + "." + std::to_string(pid) + ".ctl";
}

}  // namespace microcloud::plugins::ovn
