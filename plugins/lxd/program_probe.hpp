// plugins/lxd/program_probe.hpp - whether the lxd program is installed, from `lxd --version`.
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <string>
#include <vector>

namespace microcloud::plugins::lxd {

/// The command that tells whether LXD is installed and which version.
const std::vector<std::string>& version_command();

/// What `lxd --version` said: installed with a version, or why LXD does not count as installed.
struct ProgramProbe {
    bool installed = false;
    std::string version;  ///< e.g. "5.0.2" (the first word of the output)
    std::string problem;  ///< a clause saying what went wrong when not installed
};

/// Reads the result of a `lxd --version` that ran.
ProgramProbe read_version_answer(const sdk::CommandResult& result);

/// The probe when the command could not even be started (message from the host).
ProgramProbe program_not_started(const std::string& message);

}  // namespace microcloud::plugins::lxd
