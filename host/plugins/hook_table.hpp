// host/plugins/hook_table.hpp - the lifecycle hooks of the plugin ABI: their names, where each sits
// in mc_plugin_descriptor and which are required. Header-only: the daemon and the plugin worker
// process both read descriptors with it.
#pragma once

#include <microcloud/sdk/plugin.h>

#include <array>
#include <cstddef>
#include <cstring>
#include <optional>
#include <string_view>

namespace microcloud::host::plugins {

enum class Hook { discover, validate, join, teardown, issue_token, configure, status };

struct HookInfo {
    Hook hook;
    std::string_view name;
    std::size_t offset;  // of the function pointer in mc_plugin_descriptor
    bool required;
};

inline constexpr std::array<HookInfo, 7> kHooks{{
    {Hook::discover, "discover", offsetof(mc_plugin_descriptor, discover), true},
    {Hook::validate, "validate", offsetof(mc_plugin_descriptor, validate), true},
    {Hook::join, "join", offsetof(mc_plugin_descriptor, join), true},
    {Hook::teardown, "teardown", offsetof(mc_plugin_descriptor, teardown), true},
    {Hook::issue_token, "issue_token", offsetof(mc_plugin_descriptor, issue_token), false},
    {Hook::configure, "configure", offsetof(mc_plugin_descriptor, configure), false},
    {Hook::status, "status", offsetof(mc_plugin_descriptor, status), false},
}};

inline const HookInfo& hook_info(Hook hook) { return kHooks.at(static_cast<std::size_t>(hook)); }

inline std::optional<Hook> hook_named(std::string_view name) {
    for (const HookInfo& h : kHooks)
        if (h.name == name) return h.hook;
    return std::nullopt;
}

// The descriptor's function for `hook`, or null when it is unset or beyond the plugin's table.
inline mc_hook_fn hook_function(const mc_plugin_descriptor& descriptor, Hook hook) {
    const HookInfo& h = hook_info(hook);
    if (h.offset + sizeof(mc_hook_fn) > descriptor.struct_size) return nullptr;
    mc_hook_fn fn = nullptr;
    std::memcpy(&fn, reinterpret_cast<const char*>(&descriptor) + h.offset, sizeof(fn));
    return fn;
}

}  // namespace microcloud::host::plugins
