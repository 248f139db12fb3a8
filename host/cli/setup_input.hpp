// host/cli/setup_input.hpp - what the storage and network questions of init, add and service add
// need from the daemons (each system's facts and OVN report, the loaded components, the MicroCloud
// network), and the way they are answered (keys on a terminal, lines otherwise).
#pragma once

#include "cli/command.hpp"
#include "interactive/line_asker.hpp"
#include "interactive/setup_questions.hpp"

#include <memory>
#include <string>
#include <vector>

namespace microcloud::host::cli {

// A terminal on both ends: tables with the keys; otherwise plain lines (a script answers).
std::unique_ptr<interactive::LineAsker> make_asker(interactive::LineReader& in, const Invocation& inv);

// The questions' input for `members` (the cluster members whose components are set up now, in
// order): their facts (GET /1.0/system?target=), their OVN discovery reports (GET /1.0/status)
// when the OVN plugin is loaded, this member's name and network.
interactive::SetupInput setup_input(const DaemonClient& client, const std::vector<std::string>& members, bool bootstrap);

}  // namespace microcloud::host::cli
