// host/transport/socket_threads.hpp - threads that each serve sockets (a peer connection, a tunnel)
// and that stop() can end at any moment by shutting those sockets down, then joining them.
#pragma once

#include <cstddef>
#include <functional>
#include <limits>
#include <memory>
#include <vector>

namespace microcloud::host::transport {

class SocketThreads {
public:
    SocketThreads();
    ~SocketThreads();  // stop()
    SocketThreads(const SocketThreads&) = delete;
    SocketThreads& operator=(const SocketThreads&) = delete;

    // Runs `work` on a new thread. `sockets` are the descriptors it serves: duplicates of them are
    // kept so stop() can shut them down without racing the thread closing its own. Joins threads
    // that finished. Returns false (and runs nothing) after stop() or when `limit` threads run;
    // throws Error("thread_failed") when no thread or duplicate can be made.
    bool start(const std::vector<int>& sockets, std::function<void()> work,
               std::size_t limit = std::numeric_limits<std::size_t>::max());
    // Shuts every served socket down and joins every thread; start() refuses from now on.
    void stop();
    // Threads still running.
    std::size_t active() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace microcloud::host::transport
