// host/plugins/loaded_plugin.cpp - calls a plugin's hooks through the C ABI, one at a time per
// instance, and turns whatever the plugin answered (or failed to answer) into a HookResult.
#include "plugins/loaded_plugin.hpp"

#include "plugins/call_state.hpp"
#include "plugins/host_services.hpp"

#include <array>
#include <cstddef>

namespace microcloud::host::plugins {
namespace {

struct HookInfo {
    Hook hook;
    std::string_view name;
    std::size_t offset;
    bool required;
};

constexpr std::array<HookInfo, 7> kHooks{{
    {Hook::discover, "discover", offsetof(mc_plugin_descriptor, discover), true},
    {Hook::validate, "validate", offsetof(mc_plugin_descriptor, validate), true},
    {Hook::join, "join", offsetof(mc_plugin_descriptor, join), true},
    {Hook::teardown, "teardown", offsetof(mc_plugin_descriptor, teardown), true},
    {Hook::issue_token, "issue_token", offsetof(mc_plugin_descriptor, issue_token), false},
    {Hook::configure, "configure", offsetof(mc_plugin_descriptor, configure), false},
    {Hook::status, "status", offsetof(mc_plugin_descriptor, status), false},
}};

const HookInfo& info(Hook hook) { return kHooks.at(static_cast<std::size_t>(hook)); }

HookResult failure(std::string code, std::string message, nlohmann::json details = nullptr) {
    HookResult r;
    r.code = std::move(code);
    r.message = std::move(message);
    r.details = std::move(details);
    return r;
}

}  // namespace

std::string_view to_string(Hook hook) { return info(hook).name; }

std::optional<Hook> parse_hook(std::string_view name) {
    for (const HookInfo& h : kHooks)
        if (h.name == name) return h.hook;
    return std::nullopt;
}

const std::vector<Hook>& all_hooks() {
    static const std::vector<Hook> hooks = [] {
        std::vector<Hook> out;
        for (const HookInfo& h : kHooks) out.push_back(h.hook);
        return out;
    }();
    return hooks;
}

bool is_required(Hook hook) { return info(hook).required; }

nlohmann::json HookResult::to_json() const {
    if (ok) return {{"ok", true}, {"result", value}};
    nlohmann::json error{{"code", code}, {"message", message}};
    if (!details.is_null()) error["details"] = details;
    return {{"ok", false}, {"error", error}};
}

LoadedPlugin::LoadedPlugin(std::string name, boost::dll::shared_library library,
                           const mc_plugin_descriptor* descriptor, void* instance, const HostServices& services)
    : name_(std::move(name)), library_(std::move(library)), descriptor_(descriptor), instance_(instance),
      services_(services) {}

LoadedPlugin::~LoadedPlugin() {
    if (descriptor_ && descriptor_->destroy && instance_) descriptor_->destroy(instance_);
}

mc_hook_fn LoadedPlugin::hook_fn(Hook hook) const {
    const HookInfo& h = info(hook);
    if (h.offset + sizeof(mc_hook_fn) > descriptor_->struct_size) return nullptr;
    mc_hook_fn fn = nullptr;
    std::memcpy(&fn, reinterpret_cast<const char*>(descriptor_) + h.offset, sizeof(fn));
    return fn;
}

bool LoadedPlugin::supports(Hook hook) const { return hook_fn(hook) != nullptr; }

HookResult LoadedPlugin::call(Hook hook, const nlohmann::json& input, const CallObserver& observer) const {
    mc_hook_fn fn = hook_fn(hook);
    if (!fn)
        return failure("unsupported", "Plugin '" + name_ + "' does not support the '" +
                                          std::string(to_string(hook)) + "' hook");

    const std::string text = input.dump();
    CallState state;
    state.services = &services_;
    state.plugin = name_;
    state.hook = std::string(to_string(hook));
    state.observer = &observer;
    mc_call call{};
    call.struct_size = sizeof(mc_call);
    call.input = text.c_str();
    call.input_len = text.size();
    call.host_data = &state;

    mc_status status = MC_STATUS_ERROR;
    {
        std::lock_guard lock(mutex_);  // the SDK promises one hook at a time per instance
        status = fn(instance_, &call);
    }

    const std::string where = "plugin '" + name_ + "', hook '" + state.hook + "'";
    if (state.failed || status != MC_STATUS_OK) {
        if (!state.failed)
            return failure("plugin_no_answer", "The " + where + " failed without saying why");
        nlohmann::json details = nullptr;
        if (!state.details.empty()) {
            details = nlohmann::json::parse(state.details, nullptr, false);
            if (details.is_discarded()) details = state.details;
        }
        return failure(state.code.empty() ? "plugin_error" : state.code, state.message, details);
    }
    if (!state.replied) return failure("plugin_no_answer", "The " + where + " returned without a reply");
    nlohmann::json value = nlohmann::json::parse(state.reply, nullptr, false);
    if (value.is_discarded())
        return failure("plugin_bad_reply", "The " + where + " replied with text that is not JSON");
    HookResult ok;
    ok.ok = true;
    ok.value = std::move(value);
    return ok;
}

}  // namespace microcloud::host::plugins
