// host/plugins/host_services.hpp - the service table (mc_host_api) the host hands to plugins:
// reply/fail, logging into spdlog, progress, cancellation, commands, unix-socket HTTP, facts.
#pragma once

#include <microcloud/sdk/plugin.h>

#include <nlohmann/json.hpp>

#include <functional>

namespace microcloud::host::plugins {

class HostServices {
public:
    using FactsProvider = std::function<nlohmann::json()>;

    // `facts` answers member_facts; by default the facts of this machine (host/system).
    explicit HostServices(FactsProvider facts = {});
    HostServices(const HostServices&) = delete;
    HostServices& operator=(const HostServices&) = delete;

    const mc_host_api* api() const { return &api_; }
    nlohmann::json member_facts() const;

private:
    mc_host_api api_{};
    FactsProvider facts_;
};

}  // namespace microcloud::host::plugins
