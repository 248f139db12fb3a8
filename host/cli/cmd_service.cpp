// host/cli/cmd_service.cpp - `microcloud service list`: each component's members with their roles
// and status: MicroCloud's own from the membership, each plugin's from its status hook on every
// member (the "service" row it reports for that member). `microcloud service add`: the components
// no member runs yet (or those named) formed on every member, after upstream's questions for them.
#include "cli/command.hpp"
#include "cli/setup_input.hpp"
#include "common/error.hpp"

#include <unistd.h>

#include <iostream>
#include <map>
#include <set>
#include <utility>
#include <vector>

namespace microcloud::host::cli {
namespace {

nlohmann::json row(const std::string& name, const std::string& address, const std::string& role,
                   const std::string& status) {
    return {{"name", name}, {"address", address}, {"role", role}, {"status", status}};
}

// component -> its rows; a component some plugin reports health for but no member takes part in
// has no rows ("Not initialized").
std::map<std::string, nlohmann::json> service_rows(const nlohmann::json& cluster, const nlohmann::json& status) {
    std::map<std::string, nlohmann::json> out;
    out["microcloud"] = nlohmann::json::array();
    for (const auto& member : cluster)
        out["microcloud"].push_back(row(member.value("name", ""), member.value("address", ""), member.value("role", ""),
                                        member.value("status", "")));
    std::vector<std::string> silent;  // members whose microcloudd did not answer
    for (const auto& member : status.value("members", nlohmann::json::array())) {
        const std::string name = member.value("name", "");
        if (member.value("status", "") == "OFFLINE") {
            silent.push_back(name);
            continue;
        }
        const nlohmann::json plugins = member.value("plugins", nlohmann::json::object());  // kept: items() refers to it
        for (const auto& [plugin, entry] : plugins.items()) {
            if (!entry.contains("health") && !entry.contains("health_error")) continue;  // no status hook
            nlohmann::json& rows = out[plugin];
            if (rows.is_null()) rows = nlohmann::json::array();
            if (entry.contains("health_error")) {
                const nlohmann::json& error = entry["health_error"];
                rows.push_back(row(name, member.value("address", ""), "",
                                   "unknown: " + (error.is_object() ? error.value("message", "") : error.dump())));
                continue;
            }
            if (!entry["health"].is_object()) continue;  // a plugin's own shape: no row to read
            const nlohmann::json service = entry["health"].value("service", nlohmann::json());
            if (!service.is_object()) continue;  // the component does not run on this member
            const std::string address = service.value("address", "");
            rows.push_back(row(name, address.empty() ? member.value("address", "") : address,
                               service.value("role", ""), service.value("status", "")));
        }
    }
    // A member that did not answer may or may not run a component: it is shown where there are rows.
    for (auto& [component, rows] : out)
        if (component != "microcloud" && !rows.empty())
            for (const std::string& name : silent) rows.push_back(row(name, "", "", "unknown: microcloudd does not answer"));
    return out;
}

}  // namespace

int run_service_list(const Invocation& inv) {
    if (!inv.args.empty())
        throw Error("invalid_arguments", "Unexpected argument \"" + inv.args[0] + "\" (usage: microcloud service list)");
    const DaemonClient client = inv.client();
    std::map<std::string, nlohmann::json> services = service_rows(client.get("/1.0/cluster"), client.get("/1.0/status"));
    // MicroCloud first, then the components by name.
    std::vector<std::pair<std::string, nlohmann::json>> ordered{{"microcloud", services["microcloud"]}};
    for (auto& [component, rows] : services)
        if (component != "microcloud") ordered.emplace_back(component, std::move(rows));
    const auto cells = [](const nlohmann::json& r) {
        return std::vector<std::string>{r.value("name", ""), r.value("address", ""), r.value("role", ""),
                                        r.value("status", "")};
    };
    if (inv.format != Format::table && inv.format != Format::compact) {
        nlohmann::json data = nlohmann::json::object();
        Table table{{"SERVICE", "NAME", "ADDRESS", "ROLE", "STATUS"}, {}};
        for (const auto& [component, rows] : ordered) {
            data[component] = rows;
            for (const auto& r : rows) {
                std::vector<std::string> line = cells(r);
                line.insert(line.begin(), component);
                table.rows.push_back(std::move(line));
            }
        }
        print(inv, data, table);
        return 0;
    }
    // As upstream: one table per component, "Not initialized" for one without members.
    for (const auto& [component, rows] : ordered) {
        if (rows.empty()) {
            std::cout << component << ": Not initialized\n";
            continue;
        }
        std::cout << component << ":\n";
        Table table{{"NAME", "ADDRESS", "ROLE", "STATUS"}, {}};
        for (const auto& r : rows) table.rows.push_back(cells(r));
        print(inv, rows, table);
    }
    return 0;
}

int run_service_add(const Invocation& inv) {
    const DaemonClient client = inv.client();
    nlohmann::json cluster;
    try {
        cluster = client.get("/1.0/cluster");
    } catch (const Error& error) {
        if (error.code() != "not_clustered") throw;
        throw Error("not_clustered", "MicroCloud is uninitialized, run 'microcloud init' first");
    }
    const std::map<std::string, nlohmann::json> services = service_rows(cluster, client.get("/1.0/status"));
    std::set<std::string> adding;
    for (const auto& name : inv.args) {
        if (name.starts_with("-"))
            throw Error("invalid_arguments", "Unknown option \"" + name + "\" (usage: microcloud service add [NAME...])");
        const auto found = services.find(name);
        if (name == "microcloud" || (found != services.end() && !found->second.empty()))
            throw Error("invalid_services", "Service \"" + name + "\" is already set up (see: microcloud service list)",
                        {{"field", "services"}, {"value", name}});
        adding.insert(name);
    }
    if (inv.args.empty())  // the components some plugin reports on but no member runs
        for (const auto& [name, rows] : services)
            if (name != "microcloud" && rows.empty()) adding.insert(name);
    if (adding.empty()) throw Error("nothing_to_add", "All services have already been set up");
    std::string names;
    for (const auto& name : adding) names += (names.empty() ? "" : ", ") + name;
    std::cout << "Adding services: " << names << "\n" << std::flush;

    // Upstream's questions for the components being added (their disks and networks); every
    // member takes part, this one first.
    nlohmann::json setup;
    if (adding.contains("ceph") || adding.contains("ovn")) {
        const std::string self = client.get("/1.0").value("name", "");
        std::vector<std::string> members{self};
        for (const auto& member : cluster)
            if (member.value("name", "") != self) members.push_back(member.value("name", ""));
        interactive::SetupInput input = setup_input(client, members, true);
        input.local = false;  // the cloud has its local storage already
        input.ceph = input.ceph && adding.contains("ceph");
        input.ovn = input.ovn && adding.contains("ovn");
        interactive::LineReader in(STDIN_FILENO);
        const auto asker = make_asker(in, inv);
        setup = interactive::ask_setup(*asker, input);
    }
    nlohmann::json list = nlohmann::json::array();
    for (const auto& name : adding) list.push_back(name);
    const nlohmann::json report = client.post_streaming(
        "/1.0/services/add", {{"services", list}, {"setup", setup}},
        [](const std::string& line) { std::cout << "  " << line << "\n" << std::flush; });
    if (inv.format == Format::json || inv.format == Format::yaml) {
        print(inv, report, Table{});
        return 0;
    }
    std::cout << "MicroCloud is ready\n";
    return 0;
}

}  // namespace microcloud::host::cli
