// host/exec/unix_http.cpp - one HTTP request over a unix socket (CLI to daemon, plugins to LXD).
#include "exec/unix_http.hpp"

#include "common/backoff.hpp"
#include "common/error.hpp"

#include <httplib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <string_view>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace microcloud::host::exec {

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr std::array<std::string_view, 5> kMethods{"GET", "POST", "PUT", "PATCH", "DELETE"};

// Connecting again after a full listen queue: 5 ms, doubling up to 100 ms, within the timeout.
constexpr auto kFirstRetryPause = 5ms;
constexpr auto kLongestRetryPause = 100ms;

// What the Host header says when the caller gives none: LXD's and microcluster's own clients
// name the socket host this way, and Go servers reject a socket path there.
constexpr const char* kDefaultHost = "unix.socket";

nlohmann::json describe(const HttpRequest& request) {
    return {{"socket", request.socket}, {"method", request.method}, {"path", request.path}};
}

void check_request(const HttpRequest& request) {
    if (std::find(kMethods.begin(), kMethods.end(), request.method) == kMethods.end()) {
        throw Error("invalid_method",
                    "Unsupported HTTP method \"" + request.method + "\" for " + request.socket +
                        " (accepted: GET, POST, PUT, PATCH, DELETE)",
                    describe(request));
    }
    if (request.socket.empty()) {
        throw Error("invalid_request",
                    "cannot send " + request.method + " " + request.path + ": no unix socket path given",
                    describe(request));
    }
    if (request.socket.size() >= sizeof(sockaddr_un::sun_path)) {
        throw Error("invalid_request",
                    "cannot reach " + request.socket + ": the path is " + std::to_string(request.socket.size()) +
                        " bytes long (accepted: at most " + std::to_string(sizeof(sockaddr_un::sun_path) - 1) + ")",
                    describe(request));
    }
    if (request.path.empty() || request.path.front() != '/') {
        throw Error("invalid_request",
                    "cannot send " + request.method + " \"" + request.path + "\" to " + request.socket +
                        ": the path must start with '/'",
                    describe(request));
    }
}

// httplib only says "Connection" when connecting fails; connecting once more ourselves gives
// the errno an operator can act on ("No such file or directory", "Permission denied").
// 0 when this connection succeeds. Non-blocking like httplib's: a full queue answers EAGAIN
// at once instead of waiting for a slot.
int connect_errno(const std::string& socket_path) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        return errno;
    }
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, socket_path.c_str(), socket_path.size() + 1);
    const int result = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
    const int error = result == 0 ? 0 : errno;
    ::close(fd);
    return error;
}

// A full listen queue (EAGAIN on a unix socket, where connect does not wait like TCP) or a
// failure that is gone by the time we look: worth another attempt. No byte of the request
// was sent, so retrying is safe for every method.
bool transient(int connect_error) {
    return connect_error == 0 || connect_error == EAGAIN || connect_error == EINTR;
}

std::string errno_text(int error) {
    char buffer[256];
    return strerror_r(error, buffer, sizeof buffer);  // GNU variant: returns the text
}

std::string failure_reason(httplib::Error error, int connect_error, const HttpRequest& request) {
    const std::string limit = std::to_string(request.timeout.count()) + " ms";
    switch (error) {
        case httplib::Error::Connection:
            if (connect_error == EAGAIN) {
                return "the server accepted no connection within " + limit + " (its queue stayed full)";
            }
            if (connect_error == 0) {
                return "connecting kept failing for " + limit + " (the server may be overloaded)";
            }
            return errno_text(connect_error);
        case httplib::Error::ConnectionTimeout:
            return "no connection within " + limit;
        case httplib::Error::Read:
            return "no answer (the connection closed or nothing arrived within " + limit + ")";
        case httplib::Error::Write:
            return "the request could not be sent (the connection closed or stalled for " + limit + ")";
        default:
            return "request failed (" + httplib::to_string(error) + ")";
    }
}

httplib::Request to_httplib(const HttpRequest& request) {
    httplib::Request out;
    out.method = request.method;
    out.path = request.path;
    out.body = request.body;
    for (const auto& [name, value] : request.headers) {
        out.headers.emplace(name, value);
    }
    if (!out.has_header("Host")) {
        out.headers.emplace("Host", kDefaultHost);
    }
    if (!request.body.empty() && !out.has_header("Content-Type")) {
        out.headers.emplace("Content-Type", "application/json");
    }
    if (request.on_body) {
        out.content_receiver = [receive = request.on_body](const char* data, size_t size, uint64_t, uint64_t) {
            receive(std::string_view(data, size));
            return true;
        };
    }
    return out;
}

HttpReply from_httplib(const httplib::Response& response) {
    HttpReply reply;
    reply.status = response.status;
    reply.body = response.body;
    for (const auto& [name, value] : response.headers) {
        auto [entry, inserted] = reply.headers.emplace(name, value);
        if (!inserted) {
            entry->second += ", " + value;
        }
    }
    return reply;
}

}  // namespace

HttpReply unix_http(const HttpRequest& request) {
    check_request(request);
    const httplib::Request outgoing = to_httplib(request);
    const auto give_up = Clock::now() + request.timeout;
    Backoff pause(kFirstRetryPause, kLongestRetryPause);
    while (true) {
        httplib::Client client(request.socket, 80);  // with AF_UNIX the host is the path; port unused
        client.set_address_family(AF_UNIX);
        client.set_connection_timeout(request.timeout);
        client.set_read_timeout(request.timeout);
        client.set_write_timeout(request.timeout);
        const httplib::Result result = client.send(outgoing);
        if (result) {
            return from_httplib(result.value());
        }

        const int connect_error = result.error() == httplib::Error::Connection ? connect_errno(request.socket) : -1;
        if (result.error() == httplib::Error::Connection && transient(connect_error) &&
            Clock::now() + pause.peek() < give_up) {
            pause.sleep();
            continue;
        }
        const std::string reason = failure_reason(result.error(), connect_error, request);
        nlohmann::json details = describe(request);
        details["reason"] = reason;
        throw Error("socket_unreachable", "cannot reach " + request.socket + ": " + reason, details);
    }
}

}  // namespace microcloud::host::exec
