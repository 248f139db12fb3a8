// plugins/lxd/discovery_report.hpp - turns what discovery observed into the discover hook's report.
#pragma once

#include "program_probe.hpp"
#include "socket_choice.hpp"

#include <microcloud/sdk/plugin.hpp>

#include <optional>
#include <string>

namespace microcloud::plugins::lxd {

/// The outcome of one request to LXD: a summary of the answer, or why there is none.
struct Answer {
    sdk::Json summary;
    std::string problem;  ///< empty on success
    bool ok() const noexcept { return problem.empty(); }
};

/// Everything discovery looked at on this member.
struct Observations {
    ProgramProbe program;
    SocketChoice socket;
    bool socket_exists = false;
    std::optional<Answer> server;         ///< GET /1.0; unset when there was no socket to ask
    std::optional<Answer> storage_pools;  ///< unset unless LXD answered GET /1.0
    std::optional<Answer> networks;       ///< unset unless LXD answered GET /1.0
};

/// The discover report: present, running, installed, socket facts, the server summary when
/// LXD answered, pools and networks, and `reasons` (sentences saying what is missing).
sdk::Json build_report(const Observations& seen);

}  // namespace microcloud::plugins::lxd
