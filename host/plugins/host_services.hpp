// host/plugins/host_services.hpp - the host services a plugin asks for from its worker process:
// commands, unix-socket HTTP, member facts and cancellation, each answered as a status and JSON
// text (what mc_host_api's functions hand back to the plugin).
#pragma once

#include "plugins/program_output_cache.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace microcloud::host::plugins {

// Receives progress of one call and says whether its operation was cancelled.
struct CallObserver {
    std::function<void(std::string_view step, std::uint64_t done, std::uint64_t total)> progress;
    std::function<bool()> cancelled;
};

// One service request of a running hook.
struct ServiceRequest {
    std::string plugin;
    std::string hook;
    std::string kind;     // run_command, http_request, member_facts, cancelled
    std::string request;  // the request JSON text as the plugin wrote it
    std::function<bool()> cancelled;  // the call's operation was cancelled or the call abandoned
};

struct ServiceAnswer {
    int status = 1;      // MC_STATUS_OK or MC_STATUS_ERROR
    std::string output;  // JSON text ({"code","message"} on error; "1"/"0" for cancelled)
};

class HostServices {
public:
    using FactsProvider = std::function<nlohmann::json()>;

    // `facts` answers member_facts; by default the facts of this machine (host/system).
    explicit HostServices(FactsProvider facts = {});
    HostServices(const HostServices&) = delete;
    HostServices& operator=(const HostServices&) = delete;

    // Answers one request; never throws.
    ServiceAnswer serve(const ServiceRequest& request) const noexcept;
    nlohmann::json member_facts() const;
    // Empties the program output cache: the next version probes run their programs again.
    void forget_program_outputs() const { outputs_.clear(); }

private:
    FactsProvider facts_;
    mutable ProgramOutputCache outputs_;  // answers of cacheable runs, for every plugin
};

}  // namespace microcloud::host::plugins
