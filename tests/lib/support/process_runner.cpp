// tests/lib/support/process_runner.cpp - fork/exec with output captured in temporary files.
#include "process_runner.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <thread>

namespace microcloud::testing {
namespace {

// An unlinked temporary file, closed on destruction.
class TempFile {
public:
    TempFile() {
        char name[] = "/tmp/mc-plugin-test-XXXXXX";
        fd_ = ::mkstemp(name);
        if (fd_ < 0) throw sdk::Error("command_not_started", "mkstemp failed: " + std::string(std::strerror(errno)));
        ::unlink(name);
    }
    ~TempFile() { ::close(fd_); }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    int fd() const { return fd_; }
    std::string contents() const {
        std::string out;
        ::lseek(fd_, 0, SEEK_SET);
        char buffer[4096];
        for (ssize_t n; (n = ::read(fd_, buffer, sizeof buffer)) > 0;) out.append(buffer, static_cast<std::size_t>(n));
        return out;
    }

private:
    int fd_ = -1;
};

}  // namespace

sdk::CommandResult run_process(const std::vector<std::string>& argv, const sdk::CommandOptions& options) {
    if (argv.empty()) throw sdk::Error("command_not_started", "empty argv");
    TempFile in, out, err;
    if (!options.stdin_data.empty()) {
        if (::write(in.fd(), options.stdin_data.data(), options.stdin_data.size()) < 0)
            throw sdk::Error("command_not_started", "cannot write stdin");
        ::lseek(in.fd(), 0, SEEK_SET);
    }
    int status_pipe[2];
    if (::pipe2(status_pipe, O_CLOEXEC) != 0) throw sdk::Error("command_not_started", "pipe failed");

    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);

    pid_t pid = ::fork();
    if (pid < 0) throw sdk::Error("command_not_started", "fork failed");
    if (pid == 0) {
        ::dup2(in.fd(), 0);
        ::dup2(out.fd(), 1);
        ::dup2(err.fd(), 2);
        ::setpgid(0, 0);
        for (const auto& [key, value] : options.env) ::setenv(key.c_str(), value.c_str(), 1);
        ::execvp(args[0], args.data());
        int error = errno;
        [[maybe_unused]] auto n = ::write(status_pipe[1], &error, sizeof error);
        ::_exit(127);
    }
    ::close(status_pipe[1]);
    int exec_error = 0;
    bool exec_failed = ::read(status_pipe[0], &exec_error, sizeof exec_error) == sizeof exec_error;
    ::close(status_pipe[0]);

    sdk::CommandResult result;
    const auto deadline = std::chrono::steady_clock::now() + options.timeout;
    int status = 0;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() >= deadline) {
            ::kill(-pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            result.timed_out = true;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (exec_failed)
        throw sdk::Error("command_not_started", "cannot execute " + argv[0] + ": " + std::strerror(exec_error));
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.out = out.contents();
    result.err = err.contents();
    return result;
}

bool running_as_root() {
    return ::geteuid() == 0;
}

}  // namespace microcloud::testing
