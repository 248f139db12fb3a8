// host/plugins/worker_process.hpp - one running microcloud-plugin-worker: started with posix_spawn
// on one end of a socketpair, spoken to in wire frames, killed and reaped by this object. When it
// goes away the socket closes, the worker ends, and the process is reaped (killed after a grace).
#pragma once

#include "common/unique_fd.hpp"
#include "plugins/worker_wire.hpp"

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>

namespace microcloud::host::plugins {

// How a worker process ended.
struct WorkerEnding {
    bool known = false;     // false when it could not be reaped in time (it was then killed)
    bool signaled = false;  // killed by `signal`
    int signal = 0;
    int exit_code = 0;

    // "SIGSEGV" for signals, "" otherwise.
    std::string signal_name() const;
    // "was killed by signal SIGSEGV (Segmentation fault)", "exited with code 3", ...
    std::string describe() const;
};

class WorkerProcess {
public:
    // Starts `program` with the given memory limit (MiB, 0 for none). Throws Error
    // ("plugin_worker_failed") when it cannot be started.
    WorkerProcess(const std::filesystem::path& program, std::uint64_t memory_limit_mb);
    ~WorkerProcess();
    WorkerProcess(const WorkerProcess&) = delete;
    WorkerProcess& operator=(const WorkerProcess&) = delete;

    pid_t pid() const { return pid_; }
    // Sends a frame (any thread); false when the worker is gone.
    bool send(const nlohmann::json& message);
    // Reads the next frame (one reader at a time).
    wire::Frame read(wire::Deadline deadline);
    // Sends SIGKILL.
    void kill();
    // Waits up to `grace` for the process to end, kills it if it has not, and says how it ended.
    // Reaps once; later calls return the same answer.
    WorkerEnding reap(std::chrono::milliseconds grace);

private:
    pid_t pid_ = -1;
    UniqueFd socket_;
    std::mutex write_mutex_;
    bool reaped_ = false;
    WorkerEnding ending_;
};

// Where microcloud-plugin-worker is: $MICROCLOUD_PLUGIN_WORKER, else beside this executable, else
// <exe dir>/../lib/microcloud/ (the installed layout).
std::filesystem::path default_worker_program();

}  // namespace microcloud::host::plugins
