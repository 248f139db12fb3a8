// host/exec/unix_http.hpp - one HTTP request over a unix socket (CLI to daemon, plugins to LXD).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace microcloud::host::exec {

struct HttpRequest {
    std::string socket{};        // path of the unix socket, e.g. /var/lib/lxd/unix.socket
    std::string method = "GET";  // GET, POST, PUT, PATCH or DELETE
    std::string path{};          // request target, starting with '/', query string included
    // Sent with the Content-Type of `headers`, application/json when that has none.
    std::string body{};
    std::map<std::string, std::string> headers{};
    // Applies to connecting and to each read and write (not to the whole exchange).
    std::chrono::milliseconds timeout{10000};
    // When set, the response body is handed over piece by piece as it arrives (a streamed answer)
    // instead of being kept in the reply.
    std::function<void(std::string_view)> on_body{};
};

struct HttpReply {
    int status = 0;
    std::string body{};
    // Names as the server sent them; repeated headers joined with ", ".
    std::map<std::string, std::string> headers{};
};

// Sends the request and returns the server's answer, whatever its status code. A connection the
// server's full listen queue refuses (EAGAIN) is tried again until `timeout`; nothing was sent.
// Throws Error("invalid_method") for another method, Error("invalid_request") for an empty
// socket path, a path too long for a unix socket or a request path not starting with '/',
// Error("socket_unreachable", "cannot reach <socket>: <reason>") when no answer arrives.
HttpReply unix_http(const HttpRequest& request);

}  // namespace microcloud::host::exec
