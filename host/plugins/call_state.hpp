// host/plugins/call_state.hpp - what the host keeps for one hook call while the plugin runs:
// who is called, where progress goes, and the answer the plugin gave through reply/fail.
#pragma once

#include "plugins/loaded_plugin.hpp"

#include <string>

namespace microcloud::host::plugins {

struct CallState {
    const HostServices* services = nullptr;
    std::string plugin;
    std::string hook;
    const CallObserver* observer = nullptr;

    bool replied = false;
    bool failed = false;
    std::string reply;
    std::string code;
    std::string message;
    std::string details;
};

inline CallState& state_of(mc_call* call) { return *static_cast<CallState*>(call->host_data); }

}  // namespace microcloud::host::plugins
