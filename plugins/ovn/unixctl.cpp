// plugins/ovn/unixctl.cpp - one unixctl request over a unix stream socket, with a deadline.
#include "unixctl.hpp"

#include <microcloud/sdk/plugin.hpp>

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

UnixctlReply failed(const std::string& why) { return {false, false, why}; }

int remaining_ms(std::chrono::steady_clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

}  // namespace

UnixctlReply unixctl_call(const std::string& socket_path, const std::string& command,
                          const std::vector<std::string>& args, std::chrono::milliseconds timeout) {
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

    const std::string request = sdk::Json{{"method", command}, {"params", args}, {"id", 0}}.dump();
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
            return failed(socket_path + " did not answer " + command + " within " + std::to_string(timeout.count()) +
                          " ms");
        char buffer[8192];
        const ssize_t n = ::recv(sock.fd, buffer, sizeof(buffer), 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return failed("cannot read from " + socket_path + ": " + std::strerror(errno));
        if (n == 0) return failed(socket_path + " closed the connection before answering " + command);
        received.append(buffer, static_cast<std::size_t>(n));
        if (received.size() > (16u << 20)) return failed(socket_path + " answered more than 16 MiB");
        const std::size_t last = received.find_last_not_of(" \t\r\n");
        if (last == std::string::npos || received[last] != '}') continue;
        const sdk::Json reply = sdk::Json::parse(received, nullptr, false);
        if (reply.is_discarded()) continue;  // not whole yet
        if (!reply.is_object()) return failed(socket_path + " answered something that is not a JSON-RPC reply");
        const sdk::Json& error = reply.contains("error") ? reply.at("error") : sdk::Json();
        if (!error.is_null()) return {true, false, error.is_string() ? error.get<std::string>() : error.dump()};
        const sdk::Json& result = reply.contains("result") ? reply.at("result") : sdk::Json();
        return {true, true, result.is_string() ? result.get<std::string>() : result.dump()};
    }
}

std::string daemon_control_socket(const std::string& rundir, const std::string& name) {
    std::ifstream in(rundir + "/" + name + ".pid");
    long pid = 0;
    if (!(in >> pid) || pid <= 0) return {};
    return rundir + "/" + name + "." + std::to_string(pid) + ".ctl";
}

}  // namespace microcloud::plugins::ovn
