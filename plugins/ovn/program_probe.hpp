// plugins/ovn/program_probe.hpp - finds a program on disk and runs its `--version`.
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace microcloud::plugins::ovn {

// Runs a command (the plugin binds it to Context::run). Throws sdk::Error when the command
// could not be started.
using CommandRunner =
    std::function<sdk::CommandResult(const std::vector<std::string>& argv, const sdk::CommandOptions& options)>;

// The directories searched for programs: those of `path_env` (a $PATH value), then the standard
// sbin/bin directories a daemon's PATH may lack. Duplicates removed, order kept.
std::vector<std::filesystem::path> program_search_dirs(std::string_view path_env);

// The first executable regular file called `name` in `dirs`.
std::optional<std::filesystem::path> find_program(std::string_view name,
                                                  const std::vector<std::filesystem::path>& dirs);

// What was learnt about one program.
struct ProgramProbe {
    std::string name;
    std::string package;                    // the Debian package that ships it (for messages)
    std::string path;                       // empty when not found
    std::optional<sdk::CommandResult> run;  // the `--version` run, when it started
    std::string start_error;                // why `--version` could not start
};

// Looks `name` up in `dirs` and, when found, runs `<path> --version` through `run`.
ProgramProbe probe_program(std::string_view name, std::string_view package,
                           const std::vector<std::filesystem::path>& dirs, const CommandRunner& run,
                           std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));

// The last non-empty line of `text`, trimmed and cut to a readable length ("" when none).
std::string last_line(std::string_view text);

// Why a finished command did not succeed: "timed out" or "exited with status 1: <last line of
// stderr, else of stdout>".
std::string failure_text(const sdk::CommandResult& result);

}  // namespace microcloud::plugins::ovn
