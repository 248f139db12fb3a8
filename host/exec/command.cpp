// host/exec/command.cpp - runs one program: captured output, stdin, timeout, cancellation.
//
// Why posix_spawn by hand and not Boost.Process: Boost.Process 1.74 needs Boost.Filesystem linked
// (the host uses header-only Boost with BOOST_DLL_USE_STD_FS), it cannot tell "the program could
// not be executed" from "the program exited with 127" (glibc's posix_spawn returns the exec
// errno), and it has no process-group kill: a timed-out `sh -c` pipeline would leave its
// grandchildren running. Here every child leads its own process group, which timeout and
// cancellation terminate as a whole. posix_spawn and not fork: glibc starts the child with
// CLONE_VM|CLONE_VFORK, so the daemon's page tables are not copied and then torn down by the exec
// (with 20-odd threads and a plugin's commands on every member at once, fork's copy and its TLB
// shootdowns were most of the daemon's CPU in `microcloud status`).
#include "exec/command.hpp"

#include "common/error.hpp"
#include "common/unique_fd.hpp"
#include "exec/spawn_setup.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace microcloud::host::exec {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kTick{50};            // cancellation polling, and exit polling without pidfd
constexpr milliseconds kTermGrace{2000};     // SIGTERM -> SIGKILL
constexpr milliseconds kLongestPoll{60000};  // keeps long timeouts within poll's int
constexpr std::size_t kReadChunk = 64 * 1024;

std::string errno_text(int err) {
    char buffer[256];
    return strerror_r(err, buffer, sizeof buffer);  // GNU variant: returns the text
}


struct Pipe {
    UniqueFd read, write;
};

Error start_failed(const std::string& program, const std::string& step, int err) {
    return Error("command_start_failed", "cannot start \"" + program + "\": " + step + " failed: " + errno_text(err),
                 {{"program", program}, {"errno", err}});
}

// Both ends above 2, so that the child's dup2 onto 0-2 never overwrites an end still to be used.
Pipe make_pipe(const std::string& program) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        throw start_failed(program, "pipe2", errno);
    }
    for (int& fd : fds) {
        if (fd > 2) continue;
        const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
        const int error = errno;
        ::close(fd);
        fd = moved;
        if (moved < 0) {
            ::close(fds[0] == moved ? fds[1] : fds[0]);
            throw start_failed(program, "fcntl(F_DUPFD_CLOEXEC)", error);
        }
    }
    return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

void set_nonblocking(int fd) {
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

// NUL-terminated argv and envp, built before fork so the child does not allocate.
class ExecArgs {
public:
    explicit ExecArgs(const CommandSpec& spec) : argv_(spec.argv) {
        for (char** entry = environ; entry && *entry; ++entry) {
            const std::string_view text(*entry);
            if (!spec.env.contains(std::string(text.substr(0, text.find('='))))) {
                env_.emplace_back(text);
            }
        }
        for (const auto& [name, value] : spec.env) {
            env_.push_back(name + "=" + value);
        }
        argv_ptrs_ = pointers(argv_);
        env_ptrs_ = pointers(env_);
    }

    char* const* argv() const { return argv_ptrs_.data(); }
    char* const* envp() const { return env_ptrs_.data(); }

private:
    static std::vector<char*> pointers(std::vector<std::string>& strings) {
        std::vector<char*> result;
        result.reserve(strings.size() + 1);
        for (auto& text : strings) {
            result.push_back(text.data());
        }
        result.push_back(nullptr);
        return result;
    }

    std::vector<std::string> argv_, env_;
    std::vector<char*> argv_ptrs_, env_ptrs_;
};

// Starts the program as the leader of a new process group, with `in`, `out` and `err` as its
// stdin, stdout and stderr, no other descriptor of the daemon, every signal at its default and
// none blocked. Returns the pid, or the errno (as a negative number) of why it did not start.
pid_t spawn_child(const ExecArgs& args, int in, int out, int err) {
    SpawnSetup setup;
    int rc = ::posix_spawn_file_actions_adddup2(&setup.actions, in, 0);
    if (rc == 0) rc = ::posix_spawn_file_actions_adddup2(&setup.actions, out, 1);
    if (rc == 0) rc = ::posix_spawn_file_actions_adddup2(&setup.actions, err, 2);
    if (rc == 0) rc = ::posix_spawn_file_actions_addclosefrom_np(&setup.actions, 3);
    sigset_t none, all;
    ::sigemptyset(&none);
    ::sigfillset(&all);
    if (rc == 0) rc = ::posix_spawnattr_setflags(&setup.attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                                                   POSIX_SPAWN_SETSIGDEF);
    if (rc == 0) rc = ::posix_spawnattr_setpgroup(&setup.attr, 0);
    if (rc == 0) rc = ::posix_spawnattr_setsigmask(&setup.attr, &none);
    if (rc == 0) rc = ::posix_spawnattr_setsigdefault(&setup.attr, &all);  // ignored signals would survive exec
    pid_t pid = -1;
    if (rc == 0) rc = ::posix_spawnp(&pid, args.argv()[0], &setup.actions, &setup.attr, args.argv(), args.envp());
    return rc == 0 ? pid : -rc;
}

// The started child: waited for without reaping (the zombie keeps its pid and group id
// reserved, so signalling the group stays safe), reaped once, killed if abandoned.
class Child {
public:
    explicit Child(pid_t pid) : pid_(pid), pidfd_(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0))) {}
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    ~Child() {
        if (!reaped_) {
            signal_group(SIGKILL);
            reap();
        }
    }

    // -1 when pidfd_open is unavailable; then callers poll exited() every tick.
    int pidfd() const noexcept { return pidfd_.get(); }

    // ECHILD (someone else reaped it, e.g. SIGCHLD set to SIG_IGN) counts as exited.
    bool exited() const {
        siginfo_t info{};
        if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
            return errno == ECHILD;
        }
        return info.si_pid == pid_;
    }

    void signal_group(int signal) const noexcept { ::kill(-pid_, signal); }

    // The exit code: the exit status, or 128 + the signal that ended the child; -1 when the
    // status was lost (the child was reaped elsewhere).
    int reap() {
        int status = 0;
        pid_t result;
        while ((result = ::waitpid(pid_, &status, 0)) < 0 && errno == EINTR) {
        }
        reaped_ = true;
        if (result != pid_) {
            return -1;
        }
        if (WIFSIGNALED(status)) {
            return 128 + WTERMSIG(status);
        }
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

private:
    pid_t pid_;
    UniqueFd pidfd_;
    bool reaped_ = false;
};

// Reads the exec status pipe to EOF: 0 when exec succeeded, else the child's errno.
// write(2) that cannot kill the daemon with SIGPIPE: the signal is blocked for this thread
// during the write, and one the write raised is consumed before unblocking.
ssize_t write_without_sigpipe(int fd, const char* data, std::size_t size) {
    sigset_t sigpipe;
    ::sigemptyset(&sigpipe);
    ::sigaddset(&sigpipe, SIGPIPE);
    sigset_t pending;
    ::sigpending(&pending);
    const bool already_pending = ::sigismember(&pending, SIGPIPE) == 1;
    sigset_t previous;
    ::pthread_sigmask(SIG_BLOCK, &sigpipe, &previous);
    const ssize_t written = ::write(fd, data, size);
    const int error = errno;
    if (written < 0 && error == EPIPE && !already_pending) {
        const timespec no_wait{};
        ::sigtimedwait(&sigpipe, nullptr, &no_wait);
    }
    ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    errno = error;
    return written;
}

// Moves data between the daemon and a running child: feeds stdin, collects stdout and stderr.
class ChildIo {
public:
    ChildIo(UniqueFd in, UniqueFd out, UniqueFd err, const std::string& input)
        : in_(std::move(in)), out_(std::move(out)), err_(std::move(err)), input_(input) {
        for (const UniqueFd* fd : {&in_, &out_, &err_}) {
            set_nonblocking(fd->get());
        }
        if (input_.empty()) {
            in_.reset();
        }
    }

    // Waits up to `wait` (negative: no limit) for the child to exit or a pipe to be ready,
    // and moves what is ready.
    void pump(const Child& child, milliseconds wait, CommandOutcome& outcome) {
        std::vector<pollfd> fds;
        for (const UniqueFd* fd : {&in_, &out_, &err_}) {
            if (fd->valid()) {
                fds.push_back({fd->get(), static_cast<short>(fd == &in_ ? POLLOUT : POLLIN), 0});
            }
        }
        if (child.pidfd() >= 0) {
            fds.push_back({child.pidfd(), POLLIN, 0});
        }
        const int timeout = wait.count() < 0 ? -1 : static_cast<int>(std::min(wait, kLongestPoll).count());
        if (::poll(fds.data(), fds.size(), timeout) <= 0) {
            return;
        }
        for (const auto& fd : fds) {
            if (fd.revents == 0 || fd.fd == child.pidfd()) {
                continue;
            }
            if (fd.fd == in_.get()) {
                feed_stdin();
            } else {
                drain(fd.fd == out_.get() ? out_ : err_, fd.fd == out_.get() ? outcome.out : outcome.err);
            }
        }
    }

    // Collects what the exited child left in its pipes.
    void finish(CommandOutcome& outcome) {
        in_.reset();
        drain(out_, outcome.out);
        drain(err_, outcome.err);
    }

private:
    void feed_stdin() {
        const ssize_t n = write_without_sigpipe(in_.get(), input_.data() + written_, input_.size() - written_);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            return;
        }
        if (n < 0) {
            in_.reset();  // EPIPE: the child stopped reading, which is its right
            return;
        }
        written_ += static_cast<std::size_t>(n);
        if (written_ == input_.size()) {
            in_.reset();  // EOF for the child
        }
    }

    // Reads until the pipe would block; closes it at EOF.
    static void drain(UniqueFd& fd, std::string& sink) {
        char buffer[kReadChunk];
        while (fd.valid()) {
            const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
            if (n > 0) {
                sink.append(buffer, static_cast<std::size_t>(n));
            } else if (n < 0 && errno == EINTR) {
                continue;
            } else if (n < 0 && errno == EAGAIN) {
                return;
            } else {
                fd.reset();
            }
        }
    }

    UniqueFd in_, out_, err_;
    const std::string& input_;
    std::size_t written_ = 0;
};

bool cancellation_requested(const CommandSpec& spec) {
    if (!spec.cancelled) {
        return false;
    }
    try {
        return spec.cancelled();
    } catch (...) {
        return true;  // an observer that cannot answer is treated as a cancellation
    }
}

milliseconds until(Clock::time_point deadline) {
    return std::max(milliseconds(0), std::chrono::ceil<milliseconds>(deadline - Clock::now()));
}

// SIGTERM to the group, SIGKILL after the grace period (or at once to stragglers when the
// child obeyed), output still collected meanwhile.
void stop_group(Child& child, ChildIo& io, CommandOutcome& outcome) {
    child.signal_group(SIGTERM);
    const auto grace_end = Clock::now() + kTermGrace;
    while (!child.exited() && Clock::now() < grace_end) {
        io.pump(child, std::min(kTick, until(grace_end)), outcome);
    }
    child.signal_group(SIGKILL);
}

void check_spec(const CommandSpec& spec) {
    if (spec.argv.empty() || spec.argv.front().empty()) {
        throw Error("invalid_command", "cannot run a command without a program: argv must name the program first",
                    {{"argv", spec.argv}});
    }
    for (const auto& [name, value] : spec.env) {
        if (name.empty() || name.find_first_of(std::string("=\0", 2)) != std::string::npos) {
            throw Error("invalid_command",
                        "cannot run \"" + spec.argv.front() + "\": invalid environment variable name \"" + name +
                            "\" (accepted: a non-empty name without '=')",
                        {{"program", spec.argv.front()}, {"name", name}});
        }
    }
}

}  // namespace

CommandOutcome run_command(const CommandSpec& spec) {
    check_spec(spec);
    const std::string& program = spec.argv.front();
    CommandOutcome outcome;
    if (cancellation_requested(spec)) {
        outcome.cancelled = true;
        return outcome;
    }

    const ExecArgs args(spec);
    Pipe in = make_pipe(program), out = make_pipe(program), err = make_pipe(program);
    const pid_t pid = spawn_child(args, in.read.get(), out.write.get(), err.write.get());
    if (pid == -EAGAIN || pid == -ENOMEM) {
        throw start_failed(program, "posix_spawn", -pid);
    }
    if (pid < 0) {
        throw Error("command_not_found", "cannot run \"" + program + "\": " + errno_text(-pid),
                    {{"program", program}, {"argv", spec.argv}, {"errno", -pid}});
    }
    Child child(pid);
    in.read.reset();
    out.write.reset();
    err.write.reset();

    ChildIo io(std::move(in.write), std::move(out.read), std::move(err.read), spec.stdin_data);
    const bool limited = spec.timeout.count() > 0;
    const auto deadline = Clock::now() + spec.timeout;
    const bool tick = spec.cancelled || child.pidfd() < 0;
    while (!child.exited()) {
        if (limited && Clock::now() >= deadline) {
            outcome.timed_out = true;
        } else if (cancellation_requested(spec)) {
            outcome.cancelled = true;
        }
        if (outcome.timed_out || outcome.cancelled) {
            stop_group(child, io, outcome);
            break;
        }
        milliseconds wait = limited ? until(deadline) : milliseconds(-1);
        if (tick) {
            wait = wait.count() < 0 ? kTick : std::min(wait, kTick);
        }
        io.pump(child, wait, outcome);
    }
    outcome.exit_code = child.reap();
    io.finish(outcome);
    return outcome;
}

}  // namespace microcloud::host::exec
