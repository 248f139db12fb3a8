// plugins/lxd/lxd_api.hpp - requests to the local LXD over its unix socket: the response envelope
// checked, background operations waited for, readiness polled. Every failure is an sdk::Error
// ("lxd_error" with LXD's own message, "lxd_timeout", "lxd_unavailable").
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <chrono>
#include <string>

namespace microcloud::plugins::lxd {

class LxdApi {
public:
    /// Requests on `socket`; each one that gets no answer within `timeout` fails.
    LxdApi(const sdk::Context& ctx, std::string socket,
           std::chrono::milliseconds timeout = std::chrono::milliseconds(30000))
        : ctx_(ctx), socket_(std::move(socket)), timeout_(timeout) {}

    /// GET `path`; returns the metadata.
    sdk::Json get(const std::string& path) const;
    /// True when GET `path` answers; false for LXD's 404 (other failures throw).
    bool exists(const std::string& path) const;
    /// Sends `body` (null: none) and returns the metadata; an async answer is waited for (up to
    /// `wait`) and the finished operation's metadata is returned.
    sdk::Json send(const std::string& method, const std::string& path, const sdk::Json& body = nullptr,
                   std::chrono::seconds wait = std::chrono::seconds(120)) const;
    /// Like send, but returns an async answer's operation as it stands, without waiting.
    sdk::Json start(const std::string& method, const std::string& path, const sdk::Json& body) const;
    /// Polls until LXD answers GET /1.0 and /internal/ready, or throws lxd_timeout after `limit`.
    void wait_ready(std::chrono::seconds limit) const;

    const std::string& socket() const noexcept { return socket_; }

private:
    sdk::Json envelope(const std::string& method, const std::string& path, const sdk::Json& body,
                       std::chrono::milliseconds timeout) const;
    const sdk::Context& ctx_;
    std::string socket_;
    std::chrono::milliseconds timeout_;
};

/// The storage pools LXD has: name -> driver.
sdk::Json pool_drivers(const LxdApi& api);

}  // namespace microcloud::plugins::lxd
