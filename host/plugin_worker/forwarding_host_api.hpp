// host/plugin_worker/forwarding_host_api.hpp - the mc_host_api table a plugin sees inside its
// worker process: reply/fail are kept for the call's answer, everything else (log, progress,
// cancellation, commands, HTTP, member facts) is served by microcloudd across the DaemonLink.
#pragma once

#include "plugin_worker/daemon_link.hpp"

#include <microcloud/sdk/plugin.h>

#include <string>

namespace microcloud::host::plugin_worker {

// What one hook call answered; mc_call.host_data points at it while the hook runs.
struct CallRecord {
    DaemonLink* link = nullptr;
    bool replied = false;
    bool failed = false;
    std::string reply;
    std::string code;
    std::string message;
    std::string details;
};

// The table for plugins of this process (one per process, like the link it serves).
const mc_host_api* forwarding_host_api();

}  // namespace microcloud::host::plugin_worker
