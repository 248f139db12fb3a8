// host/cli/setup_input.cpp - gathering what the setup questions need.
#include "cli/setup_input.hpp"

#include "discovery/interface_choice.hpp"
#include "interactive/terminal_asker.hpp"
#include "transport/net_util.hpp"

#include <unistd.h>

#include <iostream>
#include <map>

namespace microcloud::host::cli {

std::unique_ptr<interactive::LineAsker> make_asker(interactive::LineReader& in, const Invocation& inv) {
    if (::isatty(STDIN_FILENO) == 1 && ::isatty(STDOUT_FILENO) == 1)
        return std::make_unique<interactive::TerminalAsker>(in, std::cout, inv.color);
    return std::make_unique<interactive::LineAsker>(in, std::cout);
}

interactive::SetupInput setup_input(const DaemonClient& client, const std::vector<std::string>& members, bool bootstrap) {
    interactive::SetupInput input;
    input.bootstrap = bootstrap;
    input.initiator = client.get("/1.0").value("name", "");
    for (const auto& plugin : client.get("/1.0/plugins")) {
        if (plugin.value("state", "") != "loaded") continue;
        input.ceph = input.ceph || plugin.value("name", "") == "ceph";
        input.ovn = input.ovn || plugin.value("name", "") == "ovn";
    }
    std::map<std::string, std::string> addresses;
    for (const auto& member : client.get("/1.0/cluster"))
        addresses[member.value("name", "")] = transport::net::host_of(member.value("address", ""));
    const std::string own = addresses[input.initiator];
    input.lookup_subnet =
        discovery::interface_for_subnet(client.get("/1.0/system").value("interfaces", nlohmann::json::array()),
                                        own + "/32")
            .subnet;
    std::map<std::string, nlohmann::json> ovn_reports;
    if (input.ovn) {
        const nlohmann::json status = client.get("/1.0/status");
        for (const auto& member : status.value("members", nlohmann::json::array())) {
            const nlohmann::json plugins = member.value("plugins", nlohmann::json::object());
            const nlohmann::json ovn = plugins.value("ovn", nlohmann::json::object());
            ovn_reports[member.value("name", "")] = ovn.value("discovery", nlohmann::json());
            // A member whose OVN status hook reports a service row runs OVN (service list's rule).
            const nlohmann::json health = ovn.value("health", nlohmann::json::object());
            if (health.is_object() && health.value("service", nlohmann::json()).is_object()) input.ovn_formed = true;
        }
    }
    for (const auto& name : members)
        input.members.push_back({name, addresses[name],
                                 client.get("/1.0/system?target=" + name),
                                 ovn_reports.contains(name) ? ovn_reports[name] : nlohmann::json()});
    return input;
}

}  // namespace microcloud::host::cli
