// host/plugins/registry.cpp - scans plugin directories: manifest first (no plugin code runs until
// it is read and its ABI accepted), then Boost.DLL load, descriptor checks and instantiation.
#include "plugins/registry.hpp"

#include "common/error.hpp"
#include "plugins/abi_version.hpp"
#include "plugins/host_services.hpp"

#include <boost/dll/shared_library.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <sstream>

namespace microcloud::host::plugins {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kRequiredDescriptorSize = offsetof(mc_plugin_descriptor, teardown) + sizeof(mc_hook_fn);

void append_to_string(void* ctx, const char* data, std::size_t len) { static_cast<std::string*>(ctx)->append(data, len); }

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

    boost::dll::shared_library library;
    try {
        library.load(record.path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    } catch (const std::exception& e) {
        return rejected(std::move(record), PluginState::failed, "Cannot load plugin '" + file + "': " + e.what());
    }
    if (!library.has(MC_ENTRY_SYMBOL))
        return rejected(std::move(record), PluginState::failed,
                        "Plugin entry point '" MC_ENTRY_SYMBOL "' not found in '" + file +
                            "'. Is it built with MICROCLOUD_PLUGIN() and microcloud_add_plugin()?");

    const mc_plugin_descriptor* d = library.get<const mc_plugin_descriptor*()>(MC_ENTRY_SYMBOL)();
    if (d == nullptr)
        return rejected(std::move(record), PluginState::failed, "Plugin '" + file + "' returned no descriptor");
    const AbiVersion built{d->abi_major, d->abi_minor};
    record.abi = built.str();
    if (std::string why = abi_incompatibility(host_abi(), built, file); !why.empty())
        return rejected(std::move(record), PluginState::incompatible, why);
    if (d->struct_size < kRequiredDescriptorSize)
        return rejected(std::move(record), PluginState::incompatible,
                        "Plugin '" + file + "' has a descriptor of " + std::to_string(d->struct_size) +
                            " bytes, smaller than the " + std::to_string(kRequiredDescriptorSize) +
                            " bytes every ABI " + std::to_string(built.major) + ".x plugin has");
    if (!(built == manifest.abi))
        return rejected(std::move(record), PluginState::failed,
                        "Manifest of '" + file + "' says ABI " + manifest.abi.str() + " but the library was built for ABI " +
                            built.str() + ": reinstall the plugin so both come from the same build");
    const std::string built_id = d->id ? d->id : "";
    if (built_id != manifest.id)
        return rejected(std::move(record), PluginState::failed,
                        "Manifest '" + (dir / "manifest.json").string() + "' names plugin '" + manifest.id +
                            "' but library '" + file + "' is plugin '" + built_id + "'");
    if (d->version) record.version = d->version;
    if (!d->create || !d->destroy || !d->discover || !d->validate || !d->join || !d->teardown)
        return rejected(std::move(record), PluginState::failed,
                        "Plugin '" + file + "' lacks a required function (create, destroy, discover, validate, join, teardown)");

    nlohmann::json config = options.config.contains(manifest.name) ? options.config.at(manifest.name)
                                                                    : nlohmann::json::object();
    const std::string config_text = config.dump();
    std::string create_error;
    void* instance = d->create(services_.api(), config_text.c_str(), &append_to_string, &create_error);
    if (instance == nullptr)
        return rejected(std::move(record), PluginState::failed,
                        "Plugin '" + manifest.name + "' failed to start: " +
                            (create_error.empty() ? std::string("no reason given") : create_error));

    record.plugin = std::make_shared<LoadedPlugin>(manifest.name, std::move(library), d, instance, services_);
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
