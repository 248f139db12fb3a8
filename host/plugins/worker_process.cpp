// host/plugins/worker_process.cpp - starting, signalling and reaping plugin worker processes.
// posix_spawn rather than fork: the daemon is multithreaded, and the child needs nothing but its
// socket on fd 3, a clean signal mask and default signal actions.
#include "plugins/worker_process.hpp"

#include "common/error.hpp"
#include "exec/spawn_setup.hpp"

#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <thread>
#include <vector>

extern char** environ;

namespace microcloud::host::plugins {
namespace {

constexpr int kChildFd = 3;
using exec::SpawnSetup;

}  // namespace

std::string WorkerEnding::signal_name() const {
    if (!signaled) return "";
    const char* abbrev = ::sigabbrev_np(signal);
    return abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(signal);
}

std::string WorkerEnding::describe() const {
    if (!known) return "did not end and was killed";
    if (signaled) {
        const char* text = ::strsignal(signal);
        return "was killed by signal " + signal_name() + (text ? std::string(" (") + text + ")" : "");
    }
    return "exited with code " + std::to_string(exit_code);
}

WorkerProcess::WorkerProcess(const std::filesystem::path& program, std::uint64_t memory_limit_mb) {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
        throw Error("plugin_worker_failed", std::string("Cannot make a socketpair for a plugin worker: ") + ::strerror(errno));
    socket_.reset(fds[0]);
    UniqueFd child_end(fds[1]);

    SpawnSetup setup;
    sigset_t none;
    ::sigemptyset(&none);
    sigset_t all;
    ::sigfillset(&all);
    ::posix_spawnattr_setsigmask(&setup.attr, &none);  // the daemon blocks SIGTERM/SIGINT for sigwait
    ::posix_spawnattr_setsigdefault(&setup.attr, &all);
    ::posix_spawnattr_setflags(&setup.attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    ::posix_spawn_file_actions_adddup2(&setup.actions, child_end.get(), kChildFd);
    ::posix_spawn_file_actions_addclosefrom_np(&setup.actions, kChildFd + 1);

    std::vector<std::string> args{program.string(), "--fd", std::to_string(kChildFd), "--memory-limit-mb",
                                  std::to_string(memory_limit_mb)};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int rc = ::posix_spawn(&pid_, args[0].c_str(), &setup.actions, &setup.attr, argv.data(), environ);
    if (rc != 0)
        throw Error("plugin_worker_failed",
                    "Cannot start the plugin worker '" + program.string() + "': " + ::strerror(rc),
                    nlohmann::json{{"program", program.string()}});
}

WorkerProcess::~WorkerProcess() {
    socket_.reset();  // the worker reads the end of the stream and exits
    reap(std::chrono::milliseconds(2000));
}

bool WorkerProcess::send(const nlohmann::json& message) {
    std::lock_guard lock(write_mutex_);
    return socket_.valid() && wire::write_frame(socket_.get(), message);
}

wire::Frame WorkerProcess::read(wire::Deadline deadline) { return wire::read_frame(socket_.get(), deadline); }

void WorkerProcess::kill() {
    if (pid_ > 0 && !reaped_) ::kill(pid_, SIGKILL);
}

WorkerEnding WorkerProcess::reap(std::chrono::milliseconds grace) {
    if (reaped_ || pid_ <= 0) return ending_;
    const auto until = std::chrono::steady_clock::now() + grace;
    int status = 0;
    pid_t done = 0;
    for (;;) {
        done = ::waitpid(pid_, &status, WNOHANG);
        if (done != 0 || std::chrono::steady_clock::now() >= until) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (done == 0) {  // still running: it had its chance
        ::kill(pid_, SIGKILL);
        done = ::waitpid(pid_, &status, 0);
    } else {
        ending_.known = true;
    }
    if (done == pid_) {
        ending_.signaled = WIFSIGNALED(status);
        ending_.signal = ending_.signaled ? WTERMSIG(status) : 0;
        ending_.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
    }
    reaped_ = true;
    return ending_;
}

std::filesystem::path default_worker_program() {
    if (const char* env = std::getenv("MICROCLOUD_PLUGIN_WORKER"); env && *env) return env;
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    const std::filesystem::path dir = ec ? std::filesystem::path(".") : exe.parent_path();
    const std::filesystem::path beside = dir / "microcloud-plugin-worker";
    if (std::filesystem::exists(beside, ec)) return beside;
    return (dir / ".." / "lib" / "microcloud" / "microcloud-plugin-worker").lexically_normal();
}

}  // namespace microcloud::host::plugins
