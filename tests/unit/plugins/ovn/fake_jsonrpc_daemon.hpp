// tests/unit/plugins/ovn/fake_jsonrpc_daemon.hpp - a stand-in for an OVS/OVN daemon's unix socket:
// for each connection it reads one JSON-RPC request, sends what the test's handler returns (in the
// pieces given, a little apart) and keeps the connection open until the client closes it, as
// ovsdb-server and the unixctl servers do. The requests are kept for the test to read.
#pragma once

#include <nlohmann/json.hpp>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace microcloud::testing {

class FakeJsonRpcDaemon {
public:
    using Handler = std::function<std::vector<std::string>(const nlohmann::json& request)>;

    FakeJsonRpcDaemon(const std::string& path, Handler handler) : handler_(std::move(handler)) {
        listener_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
        if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
            ::listen(listener_, 4) != 0)
            throw std::runtime_error("cannot listen at " + path);
        thread_ = std::thread([this] { serve(); });
    }
    ~FakeJsonRpcDaemon() {
        stop_ = true;
        ::shutdown(listener_, SHUT_RDWR);  // wakes accept()
        thread_.join();
        ::close(listener_);
    }
    FakeJsonRpcDaemon(const FakeJsonRpcDaemon&) = delete;
    FakeJsonRpcDaemon& operator=(const FakeJsonRpcDaemon&) = delete;

    std::vector<nlohmann::json> requests() const {
        const std::lock_guard lock(mutex_);
        return requests_;
    }

private:
    void serve() {
        while (!stop_) {
            const int peer = ::accept(listener_, nullptr, nullptr);
            if (peer < 0) return;
            answer(peer);
            ::close(peer);
        }
    }
    void answer(int peer) {
        std::string got;
        char buffer[1024];
        while (!nlohmann::json::accept(got)) {
            const ssize_t n = ::recv(peer, buffer, sizeof(buffer), 0);
            if (n <= 0) return;
            got.append(buffer, static_cast<std::size_t>(n));
        }
        const nlohmann::json request = nlohmann::json::parse(got);
        {
            const std::lock_guard lock(mutex_);
            requests_.push_back(request);
        }
        for (const std::string& piece : handler_(request)) {
            ::send(peer, piece.data(), piece.size(), MSG_NOSIGNAL);
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        // Until the client closes (or the daemon is stopped).
        while (!stop_) {
            pollfd waiting{peer, POLLIN, 0};
            if (::poll(&waiting, 1, 50) > 0 && ::recv(peer, buffer, sizeof(buffer), 0) <= 0) return;
        }
    }

    Handler handler_;
    int listener_ = -1;
    std::atomic<bool> stop_{false};
    mutable std::mutex mutex_;
    std::vector<nlohmann::json> requests_;
    std::thread thread_;
};

}  // namespace microcloud::testing
