// host/cli/cmd_status.cpp - `microcloud status`: each member, each plugin, what it discovered.
#include "cli/command.hpp"
#include "common/error.hpp"

namespace microcloud::host::cli {
namespace {

constexpr std::size_t kMaxDetails = 100;  // the table stays readable; json/yaml carry everything

std::string shorten(std::string text) {
    if (text.size() <= kMaxDetails) return text;
    std::size_t cut = kMaxDetails - 3;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
    return text.substr(0, cut) + "...";
}

// The plugin's own health line (its status hook's "summary"), or "".
std::string health_of(const nlohmann::json& entry) {
    if (entry.contains("health_error")) return "health unknown: " + entry["health_error"].value("message", "");
    const nlohmann::json health = entry.value("health", nlohmann::json::object());
    return health.is_object() && health.contains("summary") && health["summary"].is_string()
               ? health["summary"].get<std::string>()
               : "";
}

// One line for humans out of a discovery report: version, running, clustered, first reason, and
// the plugin's health.
std::string summarize(const nlohmann::json& entry) {
    if (entry.contains("error")) return "error: " + entry["error"].value("message", "");
    if (!entry.contains("discovery")) return entry.value("reason", "");
    const std::string health = health_of(entry);
    if (!health.empty()) return health;
    const nlohmann::json& d = entry["discovery"];
    std::string out;
    if (d.contains("version") && d["version"].is_string() && !d["version"].get<std::string>().empty())
        out += "version " + d["version"].get<std::string>();
    if (d.contains("running") && d["running"].is_boolean())
        out += std::string(out.empty() ? "" : ", ") + (d["running"].get<bool>() ? "running" : "not running");
    if (d.contains("clustered") && d["clustered"].is_boolean() && d["clustered"].get<bool>()) {
        out += ", clustered";
        if (d.contains("server_name") && d["server_name"].is_string()) out += " as " + d["server_name"].get<std::string>();
    }
    if (d.contains("reasons") && d["reasons"].is_array() && !d["reasons"].empty() && d["reasons"][0].is_string())
        out += std::string(out.empty() ? "" : "; ") + d["reasons"][0].get<std::string>();
    return out;
}

std::string yes_no(const nlohmann::json& entry) {
    if (!entry.contains("discovery")) return "-";
    const nlohmann::json& d = entry["discovery"];
    return d.contains("present") && d["present"].is_boolean() ? (d["present"].get<bool>() ? "yes" : "no") : "-";
}

}  // namespace

int run_status(const Invocation& inv) {
    bool refresh = false;
    for (const std::string& arg : inv.args) {
        if (arg != "--refresh")
            throw Error("invalid_arguments",
                        "Unexpected argument \"" + arg + "\" for status (accepted: --refresh, --format FORMAT)");
        refresh = true;
    }
    // --refresh: every plugin discovers afresh, version probes included.
    const nlohmann::json status = inv.client().get(refresh ? "/1.0/status?refresh=1" : "/1.0/status");
    Table table{{"MEMBER", "PLUGIN", "STATE", "PRESENT", "DETAILS"}, {}};
    const nlohmann::json members = status.value("members", nlohmann::json::array());
    for (const auto& member : members) {
        if (member.value("status", "") == "OFFLINE") {
            table.rows.push_back({member.value("name", ""), "-", "OFFLINE", "-", shorten(member.value("error", ""))});
            continue;
        }
        const nlohmann::json plugins = member.value("plugins", nlohmann::json::object());
        for (const auto& [plugin, entry] : plugins.items())
            table.rows.push_back(
                {member.value("name", ""), plugin, entry.value("state", ""), yes_no(entry), shorten(summarize(entry))});
    }
    print(inv, status, table);
    return 0;
}

}  // namespace microcloud::host::cli
