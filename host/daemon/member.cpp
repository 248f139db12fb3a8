// host/daemon/member.cpp - builds this member's reports from its plugins and system facts.
#include "daemon/member.hpp"

#include "common/error.hpp"
#include "common/version.hpp"
#include "plugins/abi_version.hpp"
#include "system/facts.hpp"
#include "system/own_disks.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <future>
#include <utility>
#include <vector>

namespace microcloud::host::daemon {
namespace {

std::string hostname() {
    char buffer[256] = {};
    if (::gethostname(buffer, sizeof(buffer) - 1) != 0) return "localhost";
    return buffer;
}

// The facts plugins and the host read: the machine's, with only the configured disks when the
// config names them (members sharing one kernel, as in the lab, see each other's disks).
plugins::HostServices::FactsProvider facts_provider(const DaemonConfig& config) {
    if (!config.disks) return {};
    try {
        for (const std::string& path : system::unknown_disks(system::collect_disks(), *config.disks))
            spdlog::warn("config key \"disks\" names {}, which is no disk of this machine", path);
    } catch (const Error& error) {  // the facts will say so again when asked
        spdlog::warn("cannot check the config's disks against this machine's: {}", error.what());
    }
    return system::own_disks_facts(*config.disks, [] { return system::collect_facts(); });
}

// A status query waits at most this long for each plugin's discover and status hooks: a plugin
// that hangs is reported as plugin_timeout without holding `microcloud status` for minutes.
constexpr std::chrono::seconds kStatusCap{20};

}  // namespace

Member::Member(DaemonConfig config)
    : config_(std::move(config)), name_(hostname()), services_(facts_provider(config_)), registry_(services_) {
    plugins::ScanOptions scan;
    scan.dirs = plugins::plugin_search_path(config_.plugin_dirs);
    scan.disabled = config_.disabled_plugins;
    scan.config = config_.plugin_config;
    scan.idle_stop = config_.plugin_idle_stop;
    registry_.scan(scan);
    // Each loaded plugin's own directory, made once here (root only: a plugin may keep secrets
    // there), not on every hook call.
    for (const auto& record : registry_.records()) {
        if (record.state != plugins::PluginState::loaded) continue;
        const std::filesystem::path dir = plugin_dir(record.name);
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
        if (!ec) std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
        if (ec) spdlog::warn("cannot make the state directory {} of plugin {}: {}", dir.string(), record.name, ec.message());
    }
}

std::filesystem::path Member::plugin_dir(const std::string& plugin) const {
    return config_.state_dir / "plugin-state" / plugin;
}

nlohmann::json Member::member_input(const std::string& plugin) const {
    return {{"member",
             {{"name", name_}, {"state_dir", config_.state_dir.string()}, {"plugin_dir", plugin_dir(plugin).string()}}}};
}

nlohmann::json Member::info() const {
    return {{"name", name_},
            {"version", kVersion},
            {"sdk_abi", plugins::host_abi().str()},
            {"state_dir", config_.state_dir.string()},
            {"ready", true}};
}

nlohmann::json Member::plugins() const {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& record : registry_.records()) out.push_back(record.to_json());
    return out;
}

nlohmann::json Member::run_hook(const std::string& plugin, const std::string& hook, const nlohmann::json& input) const {
    const auto fail = [](const std::string& code, const std::string& message) {
        return nlohmann::json{{"ok", false}, {"error", {{"code", code}, {"message", message}}}};
    };
    const auto loaded = registry_.find(plugin);
    if (!loaded) return fail("plugin_not_found", "Plugin '" + plugin + "' is not loaded on member " + name_);
    const auto which = plugins::parse_hook(hook);
    if (!which) return fail("invalid_hook", "Unknown hook '" + hook + "'");
    nlohmann::json call_input = input;
    call_input["member"] = member_input(plugin)["member"];
    return loaded->call(*which, call_input).to_json();
}

std::vector<formation::ComponentPlugin> Member::components() const {
    std::vector<formation::ComponentPlugin> out;
    for (const auto& record : registry_.records())
        if (record.state == plugins::PluginState::loaded && record.manifest)
            out.push_back({record.name, record.manifest->after, record.manifest->config_section,
                           record.manifest->join_concurrency, record.manifest->provides});
    return out;
}

std::map<std::string, std::string> Member::services() const {
    std::map<std::string, std::string> out;
    for (const auto& record : registry_.records())
        if (record.state == plugins::PluginState::loaded) out[record.name] = record.version;
    return out;
}

nlohmann::json Member::system_facts() const {
    return services_.member_facts();
}

nlohmann::json Member::discovery(std::optional<std::chrono::seconds> cap, bool for_status) const {
    std::vector<std::pair<std::string, std::future<plugins::HookResult>>> running;
    for (const auto& plugin : registry_.loaded()) {
        nlohmann::json asked = member_input(plugin->name());
        if (for_status && plugin->supports(plugins::Hook::status)) asked["purpose"] = "status";
        running.emplace_back(plugin->name(), std::async(std::launch::async, [plugin, asked = std::move(asked), cap] {
                                 return plugin->call(plugins::Hook::discover, asked, {}, cap);
                             }));
    }
    nlohmann::json out = nlohmann::json::object();
    for (auto& [name, result] : running) out[name] = result.get().to_json();
    return out;
}

nlohmann::json Member::status(bool refresh) const {
    nlohmann::json member = local_status(refresh);
    member["address"] = "";
    member["role"] = "standalone";
    return {{"members", nlohmann::json::array({member})}};
}

nlohmann::json Member::local_status(bool refresh) const {
    if (refresh) services_.forget_program_outputs();
    // The plugins' health (their status hook, where they have one) is asked beside discovery.
    std::vector<std::pair<std::string, std::future<plugins::HookResult>>> health;
    for (const auto& plugin : registry_.loaded())
        if (plugin->supports(plugins::Hook::status))
            health.emplace_back(plugin->name(),
                                std::async(std::launch::async, [plugin, input = member_input(plugin->name())] {
                                    return plugin->call(plugins::Hook::status, input, {}, kStatusCap);
                                }));
    const nlohmann::json reports = discovery(kStatusCap, !refresh);
    nlohmann::json plugin_states = nlohmann::json::object();
    for (const auto& record : registry_.records()) {
        nlohmann::json entry{{"state", plugins::to_string(record.state)}, {"version", record.version}};
        if (!record.reason.empty()) entry["reason"] = record.reason;
        if (reports.contains(record.name)) {
            const nlohmann::json& r = reports.at(record.name);
            if (r.value("ok", false))
                entry["discovery"] = r.at("result");
            else
                entry["error"] = r.at("error");
        }
        plugin_states[record.name] = entry;
    }
    for (auto& [name, result] : health) {
        const nlohmann::json answer = result.get().to_json();
        if (answer.value("ok", false))
            plugin_states[name]["health"] = answer.at("result");
        else
            plugin_states[name]["health_error"] = answer.at("error");
    }
    return {{"name", name_}, {"plugins", plugin_states}};
}

}  // namespace microcloud::host::daemon
