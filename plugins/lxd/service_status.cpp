// plugins/lxd/service_status.cpp - the LXD plugin's status hook: this member's roles and status in
// LXD's cluster, from GET /1.0 and GET /1.0/cluster/members/NAME.
#include "service_status.hpp"

namespace microcloud::plugins::lxd {

sdk::Json service_status(const sdk::Json& server, const std::function<sdk::Json(const std::string&)>& get) {
    const sdk::Json environment = server.value("environment", sdk::Json::object());
    const std::string version = environment.value("server_version", std::string("?"));
    const bool clustered = environment.value("server_clustered", false);
    sdk::Json out{{"running", true}, {"version", version}, {"clustered", clustered}};
    if (!clustered) {
        out["summary"] = "LXD " + version + ", not clustered";
        return out;
    }
    const std::string name = environment.value("server_name", std::string());
    out["server_name"] = name;
    sdk::Json member;
    try {
        member = get("/1.0/cluster/members/" + name);
    } catch (const sdk::Error& e) {
        out["summary"] = "LXD " + version + ", clustered as " + name + " (its state is unknown: " + e.what() + ")";
        return out;
    }
    std::string roles;
    for (const auto& role : member.value("roles", sdk::Json::array()))
        if (role.is_string()) roles.append(roles.empty() ? "" : "\n").append(role.get<std::string>());
    const std::string status = member.value("status", std::string("unknown"));
    out["service"] = {{"role", roles}, {"status", status}, {"address", member.value("url", std::string())}};
    std::string listed = roles;
    for (char& c : listed)
        if (c == '\n') c = ',';
    out["summary"] = "LXD " + version + ", clustered as " + name + ": " + status + (listed.empty() ? "" : " (" + listed + ")");
    return out;
}

}  // namespace microcloud::plugins::lxd
