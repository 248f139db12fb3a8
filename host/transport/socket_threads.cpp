// host/transport/socket_threads.cpp - running, reaping and stopping socket-serving threads.
#include "transport/socket_threads.hpp"

#include "common/error.hpp"
#include "common/unique_fd.hpp"

#include <fcntl.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <list>
#include <mutex>
#include <system_error>
#include <thread>

namespace microcloud::host::transport {

namespace {

struct Entry {
    std::thread thread;
    std::vector<UniqueFd> watched;  // duplicates of the sockets the thread serves
    bool done = false;
};

}  // namespace

struct SocketThreads::State {
    mutable std::mutex mutex;
    std::list<Entry> entries;
    bool stopped = false;

    // Under the lock: takes the threads that finished, to be joined outside it.
    std::vector<std::thread> take_finished() {
        std::vector<std::thread> finished;
        for (auto it = entries.begin(); it != entries.end();) {
            if (it->done) {
                finished.push_back(std::move(it->thread));
                it = entries.erase(it);
            } else {
                ++it;
            }
        }
        return finished;
    }
};

SocketThreads::SocketThreads() : state_(std::make_unique<State>()) {}

SocketThreads::~SocketThreads() {
    stop();
}

bool SocketThreads::start(const std::vector<int>& sockets, std::function<void()> work, std::size_t limit) {
    State& s = *state_;
    std::vector<UniqueFd> watched;
    for (const int socket : sockets) {
        UniqueFd copy(::fcntl(socket, F_DUPFD_CLOEXEC, 0));
        if (!copy) {
            throw Error("thread_failed", std::string("cannot duplicate a socket to watch: ") + std::strerror(errno));
        }
        watched.push_back(std::move(copy));
    }
    std::vector<std::thread> finished;
    bool started = false;
    {
        const std::lock_guard lock(s.mutex);
        finished = s.take_finished();
        if (!s.stopped && s.entries.size() < limit) {
            auto entry = s.entries.emplace(s.entries.end());
            entry->watched = std::move(watched);
            try {
                entry->thread = std::thread([&s, entry, work = std::move(work)] {
                    work();
                    const std::lock_guard done_lock(s.mutex);
                    entry->watched.clear();
                    entry->done = true;
                });
                started = true;
            } catch (const std::system_error& error) {
                s.entries.erase(entry);
                for (std::thread& thread : finished) thread.join();
                throw Error("thread_failed", std::string("cannot start a thread: ") + error.what());
            }
        }
    }
    for (std::thread& thread : finished) thread.join();
    return started;
}

void SocketThreads::stop() {
    State& s = *state_;
    std::vector<std::thread> threads;
    {
        const std::lock_guard lock(s.mutex);
        s.stopped = true;
        for (Entry& entry : s.entries) {
            for (const UniqueFd& socket : entry.watched) ::shutdown(socket.get(), SHUT_RDWR);
            threads.push_back(std::move(entry.thread));
        }
    }
    for (std::thread& thread : threads) {
        if (thread.joinable()) thread.join();
    }
    const std::lock_guard lock(s.mutex);
    s.entries.clear();
}

std::size_t SocketThreads::active() const {
    const std::lock_guard lock(state_->mutex);
    std::size_t count = 0;
    for (const Entry& entry : state_->entries) count += entry.done ? 0 : 1;
    return count;
}

}  // namespace microcloud::host::transport
