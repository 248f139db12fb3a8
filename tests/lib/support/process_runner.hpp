// tests/lib/support/process_runner.hpp - runs real programs for plugin tests the way the
// host's run_command service does (argv, extra env, stdin, timeout), without the host.
// Part of the plugin test support library, also used by the ceph and fan plugin tests.
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <string>
#include <vector>

namespace microcloud::testing {

// Runs argv[0] (an absolute path or a name looked up in PATH). Throws sdk::Error
// ("command_not_started") when it cannot be executed; kills it when the timeout passes.
sdk::CommandResult run_process(const std::vector<std::string>& argv, const sdk::CommandOptions& options = {});

// Whether this process runs as root (some real-tool tests need it).
bool running_as_root();

}  // namespace microcloud::testing
