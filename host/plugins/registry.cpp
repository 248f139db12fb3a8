// host/plugins/registry.cpp - scans plugin directories: manifest first (no plugin code runs until
// it is read and its ABI accepted), then Boost.DLL load, descriptor checks and instantiation.
#include "plugins/registry.hpp"

#include "common/error.hpp"
#include "plugins/abi_version.hpp"
#include "plugins/host_services.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <cstddef>
#include <cstdlib>
#include <sstream>

namespace microcloud::host::plugins {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kRequiredDescriptorSize = offsetof(mc_plugin_descriptor, teardown) + sizeof(mc_hook_fn);

PluginRecord rejected(PluginRecord record, PluginState state, std::string reason) {
    record.state = state;
    record.reason = std::move(reason);
    spdlog::warn("plugin {}: {}: {}", record.name, to_string(state), record.reason);
    return record;
}

const PluginRecord* find_same(const std::vector<PluginRecord>& seen, const Manifest& m) {
    for (const PluginRecord& r : seen)
        if ((r.state == PluginState::loaded || r.state == PluginState::disabled) && (r.id == m.id || r.name == m.name))
            return &r;
    return nullptr;
}

}  // namespace

Registry::Registry(const HostServices& services) : services_(services) {}

Registry::~Registry() = default;  // the janitor stops (and is joined) before the records go

void Registry::stop_idle_workers(std::stop_token stop, std::chrono::seconds idle) const {
    std::mutex mutex;
    std::condition_variable_any wake;
    const auto tick = std::min<std::chrono::seconds>(idle, std::chrono::seconds(5));
    std::unique_lock lock(mutex);
    while (!stop.stop_requested()) {
        wake.wait_for(lock, stop, tick, [] { return false; });  // wakes early only to stop
        if (stop.stop_requested()) break;
        for (const PluginRecord& r : records_)
            if (r.plugin) r.plugin->retire_if_idle(idle);
    }
}

void Registry::scan(const ScanOptions& options) {
    for (const fs::path& root : options.dirs) {
        std::error_code ec;
        if (!fs::is_directory(root, ec)) {
            spdlog::debug("plugin directory {} does not exist; skipped", root.string());
            continue;
        }
        std::vector<fs::path> dirs;
        for (const auto& entry : fs::directory_iterator(root, ec))
            if (entry.is_directory()) dirs.push_back(entry.path());
        std::sort(dirs.begin(), dirs.end());
        for (const fs::path& dir : dirs) records_.push_back(load_one(dir, options));
    }
    if (options.idle_stop.count() > 0 && !janitor_.joinable())
        janitor_ = std::jthread([this, idle = options.idle_stop](std::stop_token stop) { stop_idle_workers(stop, idle); });
}

PluginRecord Registry::load_one(const fs::path& dir, const ScanOptions& options) const {
    PluginRecord record;
    record.name = dir.filename().string();
    record.path = dir;

    Manifest manifest;
    try {
        manifest = read_manifest(dir);
    } catch (const Error& e) {
        return rejected(std::move(record), PluginState::failed, e.what());
    }
    record.manifest = std::make_shared<Manifest>(manifest);
    record.name = manifest.name;
    record.id = manifest.id;
    record.version = manifest.version;
    record.abi = manifest.abi.str();
    record.path = manifest.library_path();
    const std::string file = record.path.string();

    if (const PluginRecord* first = find_same(records_, manifest))
        return rejected(std::move(record), PluginState::failed,
                        "Ignoring duplicate plugin '" + manifest.id + "' (name '" + manifest.name + "') in '" + file +
                            "': already provided by '" + first->path.string() + "'");
    if (options.disabled.count(manifest.name))
        return rejected(std::move(record), PluginState::disabled, "disabled by configuration");
    if (std::string why = abi_incompatibility(host_abi(), manifest.abi, file); !why.empty())
        return rejected(std::move(record), PluginState::incompatible, why);

    std::error_code ec;
    if (!fs::is_regular_file(record.path, ec))
        return rejected(std::move(record), PluginState::failed,
                        "Plugin library '" + file + "' named by the manifest's \"library\" field does not exist");

    // From here on plugin code runs, in a worker process of its own.
    nlohmann::json config = options.config.contains(manifest.name) ? options.config.at(manifest.name)
                                                                    : nlohmann::json::object();
    auto plugin = std::make_shared<LoadedPlugin>(manifest, std::move(config), services_, options.worker);
    const Described described = plugin->describe();
    if (!described.ok) return rejected(std::move(record), PluginState::failed, described.failure);
    const nlohmann::json& d = described.facts;
    const AbiVersion built{d.value("abi_major", 0u), d.value("abi_minor", 0u)};
    record.abi = built.str();
    if (std::string why = abi_incompatibility(host_abi(), built, file); !why.empty())
        return rejected(std::move(record), PluginState::incompatible, why);
    const auto struct_size = d.value("struct_size", std::size_t{0});
    if (struct_size < kRequiredDescriptorSize)
        return rejected(std::move(record), PluginState::incompatible,
                        "Plugin '" + file + "' has a descriptor of " + std::to_string(struct_size) +
                            " bytes, smaller than the " + std::to_string(kRequiredDescriptorSize) +
                            " bytes every ABI " + std::to_string(built.major) + ".x plugin has");
    if (!(built == manifest.abi))
        return rejected(std::move(record), PluginState::failed,
                        "Manifest of '" + file + "' says ABI " + manifest.abi.str() + " but the library was built for ABI " +
                            built.str() + ": reinstall the plugin so both come from the same build");
    const std::string built_id = d.value("id", "");
    if (built_id != manifest.id)
        return rejected(std::move(record), PluginState::failed,
                        "Manifest '" + (dir / "manifest.json").string() + "' names plugin '" + manifest.id +
                            "' but library '" + file + "' is plugin '" + built_id + "'");
    if (const std::string v = d.value("version", ""); !v.empty()) record.version = v;
    bool complete = d.value("has_create", false) && d.value("has_destroy", false);
    for (Hook hook : all_hooks())
        if (is_required(hook)) complete = complete && plugin->supports(hook);
    if (!complete)
        return rejected(std::move(record), PluginState::failed,
                        "Plugin '" + file + "' lacks a required function (create, destroy, discover, validate, join, teardown)");

    if (const std::string why = plugin->create(); !why.empty())
        return rejected(std::move(record), PluginState::failed, "Plugin '" + manifest.name + "' failed to start: " + why);

    record.plugin = std::move(plugin);
    for (Hook hook : all_hooks())
        (record.plugin->supports(hook) ? record.hooks : record.unsupported_hooks).emplace_back(to_string(hook));
    record.state = PluginState::loaded;
    spdlog::info("plugin {} {} loaded from {} (ABI {})", record.name, record.version, file, record.abi);
    return record;
}

std::shared_ptr<LoadedPlugin> Registry::find(std::string_view name) const {
    for (const PluginRecord& r : records_)
        if (r.state == PluginState::loaded && r.name == name) return r.plugin;
    return nullptr;
}

std::vector<std::shared_ptr<LoadedPlugin>> Registry::loaded() const {
    std::vector<std::shared_ptr<LoadedPlugin>> out;
    for (const PluginRecord& r : records_)
        if (r.state == PluginState::loaded) out.push_back(r.plugin);
    return out;
}

std::vector<fs::path> plugin_search_path(const std::vector<fs::path>& explicit_dirs) {
    std::vector<fs::path> out = explicit_dirs;
    if (const char* env = std::getenv("MICROCLOUD_PLUGIN_PATH")) {
        std::stringstream list(env);
        std::string item;
        while (std::getline(list, item, ':'))
            if (!item.empty()) out.emplace_back(item);
    }
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) out.push_back((exe.parent_path() / ".." / MICROCLOUD_PLUGIN_SUBDIR).lexically_normal());
    return out;
}

}  // namespace microcloud::host::plugins
