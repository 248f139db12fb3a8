// host/exec/command.hpp - runs one program: captured output, stdin, timeout, cancellation.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace microcloud::host::exec {

// What to run. argv[0] is looked up in the daemon's PATH (like execvp).
struct CommandSpec {
    std::vector<std::string> argv{};
    // Added to (or replacing entries of) the current environment for the child only.
    std::map<std::string, std::string> env{};
    // Written to the child's stdin, which is then closed (the child sees EOF).
    std::string stdin_data{};
    // Zero or negative means no limit.
    std::chrono::milliseconds timeout{30000};
    // Polled about every 50 ms while the child runs; true (or an exception) stops the child.
    std::function<bool()> cancelled{};
};

struct CommandOutcome {
    // The exit status, or 128 + signal number when a signal ended the child.
    int exit_code = -1;
    std::string out{}, err{};
    bool timed_out = false;
    bool cancelled = false;
};

// Runs the command to completion and returns what it did. Output is collected until the child
// exits (output of background processes it leaves behind after exiting is not waited for).
// On timeout or cancellation the child's process group gets SIGTERM, then SIGKILL after 2 s,
// and the child is reaped. Safe to call from several threads at once.
// Throws Error("invalid_command") for an empty argv or a malformed env name,
// Error("command_not_found") when the program cannot be executed (errno text in the message),
// Error("command_start_failed") when pipes or fork fail.
CommandOutcome run_command(const CommandSpec& spec);

}  // namespace microcloud::host::exec
