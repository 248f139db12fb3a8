// host/plugin_worker/plugin_host.cpp - loading, describing, instantiating and calling the plugin
// inside the worker. Whatever the plugin does wrong here ends this process, not microcloudd: an
// exception escaping a hook is reported and the process exits (its instance is in an unknown state).
#include "plugin_worker/plugin_host.hpp"

#include "plugin_worker/forwarding_host_api.hpp"
#include "plugins/hook_table.hpp"
#include "plugins/worker_wire.hpp"

#include <unistd.h>

#include <exception>
#include <new>

namespace microcloud::host::plugin_worker {
namespace {

using nlohmann::json;

void append_to_string(void* ctx, const char* data, std::size_t len) { static_cast<std::string*>(ctx)->append(data, len); }

}  // namespace

PluginHost::~PluginHost() {
    if (call_thread_.joinable()) call_thread_.join();
}

json PluginHost::load(const std::string& library) {
    try {
        library_.load(library, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    } catch (const std::exception& e) {
        return {{"t", "load_failed"}, {"message", "Cannot load plugin '" + library + "': " + e.what()}};
    }
    if (!library_.has(MC_ENTRY_SYMBOL))
        return {{"t", "load_failed"},
                {"reason", "no_entry"},
                {"message", "Plugin entry point '" MC_ENTRY_SYMBOL "' not found in '" + library +
                                "'. Is it built with MICROCLOUD_PLUGIN() and microcloud_add_plugin()?"}};
    descriptor_ = library_.get<const mc_plugin_descriptor*()>(MC_ENTRY_SYMBOL)();
    if (descriptor_ == nullptr) return {{"t", "load_failed"}, {"message", "Plugin '" + library + "' returned no descriptor"}};
    const mc_plugin_descriptor& d = *descriptor_;
    json hooks = json::array();
    for (const plugins::HookInfo& h : plugins::kHooks)
        if (plugins::hook_function(d, h.hook)) hooks.push_back(h.name);
    return {{"t", "described"},
            {"abi_major", d.abi_major},
            {"abi_minor", d.abi_minor},
            {"struct_size", d.struct_size},
            {"id", d.id ? d.id : ""},
            {"version", d.version ? d.version : ""},
            {"has_create", d.create != nullptr},
            {"has_destroy", d.destroy != nullptr},
            {"hooks", hooks}};
}

json PluginHost::create(const std::string& config_text) {
    if (!descriptor_ || !descriptor_->create) return {{"t", "create_failed"}, {"message", "no plugin is loaded"}};
    std::string error;
    instance_ = descriptor_->create(forwarding_host_api(), config_text.c_str(), &append_to_string, &error);
    if (instance_ == nullptr) return {{"t", "create_failed"}, {"message", error.empty() ? "no reason given" : error}};
    return {{"t", "created"}};
}

void PluginHost::start_call(const std::string& hook, std::string input) {
    const auto which = plugins::hook_named(hook);
    mc_hook_fn fn = which && descriptor_ && instance_ ? plugins::hook_function(*descriptor_, *which) : nullptr;
    if (!fn) {
        link_.send({{"t", "done"}, {"status", MC_STATUS_ERROR}, {"failed", true}, {"code", "unsupported"},
                    {"message", "the plugin has no '" + hook + "' hook or no instance"}});
        return;
    }
    if (call_thread_.joinable()) call_thread_.join();  // the daemon sends one call at a time
    busy_ = true;
    call_thread_ = std::thread([this, fn, text = std::move(input)]() mutable { run_call(fn, std::move(text)); });
}

bool PluginHost::busy() const { return busy_; }

void PluginHost::run_call(mc_hook_fn fn, std::string input) {
    CallRecord record;
    record.link = &link_;
    mc_call call{};
    call.struct_size = sizeof(mc_call);
    call.input = input.c_str();
    call.input_len = input.size();
    call.host_data = &record;
    mc_status status = MC_STATUS_ERROR;
    try {
        status = fn(instance_, &call);
    } catch (const std::bad_alloc&) {
        ::_exit(plugins::wire::kExitOutOfMemory);
    } catch (const std::exception& e) {
        link_.send({{"t", "uncaught"}, {"message", e.what()}});
        ::_exit(plugins::wire::kExitUncaughtException);
    } catch (...) {
        link_.send({{"t", "uncaught"}, {"message", "an exception of a type that is not std::exception"}});
        ::_exit(plugins::wire::kExitUncaughtException);
    }
    json done{{"t", "done"},     {"status", status},       {"replied", record.replied}, {"reply", record.reply},
              {"failed", record.failed}, {"code", record.code}, {"message", record.message}, {"details", record.details}};
    busy_ = false;
    link_.send(done);
}

void PluginHost::destroy() {
    if (call_thread_.joinable()) call_thread_.join();
    if (descriptor_ && descriptor_->destroy && instance_) descriptor_->destroy(instance_);
    instance_ = nullptr;
}

}  // namespace microcloud::host::plugin_worker
