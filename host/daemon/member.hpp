// host/daemon/member.hpp - this member as the daemon serves it: its identity, its plugins and
// the reports built from them (info, plugin list, discovery, status).
#pragma once

#include "daemon/daemon_config.hpp"
#include "formation/components.hpp"
#include "plugins/host_services.hpp"
#include "plugins/registry.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace microcloud::host::daemon {

class Member {
public:
    explicit Member(DaemonConfig config);

    // GET /1.0: name, version, SDK ABI, readiness.
    nlohmann::json info() const;
    // GET /1.0/plugins: every plugin record, loaded or not.
    nlohmann::json plugins() const;
    // Runs one hook of a loaded plugin: the HookResult JSON ({"ok", "result"} or {"ok": false,
    // "error"}); an unknown plugin or hook is an error answer, never an exception.
    nlohmann::json run_hook(const std::string& plugin, const std::string& hook, const nlohmann::json& input) const;
    // The loaded plugins as formation sees them: name, `after`, preseed section.
    std::vector<formation::ComponentPlugin> components() const;
    // How many members join a component at once (config join-concurrency; 0: all).
    unsigned join_concurrency() const { return config_.join_concurrency; }
    // The loaded plugins and their versions: what a joiner must match in a trust session.
    std::map<std::string, std::string> services() const;
    // GET /1.0/system: interfaces, disks (only the config's `disks` when it names them), default
    // route; what plugins read through member_facts.
    nlohmann::json system_facts() const;
    // GET /1.0/discovery: each loaded plugin's discover report (run in parallel).
    // `cap` shortens each plugin's discover deadline (status queries do not wait minutes); with
    // `for_status`, the plugins that have a status hook are asked with {"purpose": "status"}.
    nlohmann::json discovery(std::optional<std::chrono::seconds> cap = std::nullopt, bool for_status = false) const;
    // This member with each plugin's state, discovery and health: {"name", "plugins": {...}}. The
    // plugins with a status hook discover for status (leaving out what that hook reports), and
    // version probes are answered from the program output cache, unless `refresh`, which empties
    // that cache and asks every plugin for its full discovery.
    nlohmann::json local_status(bool refresh = false) const;
    // GET /1.0/status outside a cluster: {"members":[local_status(refresh)]}.
    nlohmann::json status(bool refresh = false) const;

    const std::string& name() const { return name_; }
    const std::filesystem::path& state_dir() const { return config_.state_dir; }

private:
    // What every hook's input carries about this member for `plugin`: {"member": {"name",
    // "state_dir", "plugin_dir" (the plugin's own persistent directory, made at start-up)}}.
    nlohmann::json member_input(const std::string& plugin) const;
    // STATE_DIR/plugin-state/PLUGIN.
    std::filesystem::path plugin_dir(const std::string& plugin) const;

    DaemonConfig config_;
    std::string name_;
    plugins::HostServices services_;
    plugins::Registry registry_;
};

}  // namespace microcloud::host::daemon
