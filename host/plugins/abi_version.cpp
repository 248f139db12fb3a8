// host/plugins/abi_version.cpp - parsing ABI versions and the major-equal, minor-not-newer rule.
#include "plugins/abi_version.hpp"

#include <microcloud/sdk/plugin.h>

#include <charconv>

namespace microcloud::host::plugins {

AbiVersion host_abi() { return AbiVersion{MC_ABI_MAJOR, MC_ABI_MINOR}; }

std::optional<AbiVersion> parse_abi(std::string_view text) {
    auto dot = text.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == text.size()) return std::nullopt;
    AbiVersion out;
    auto parse_part = [](std::string_view part, std::uint32_t& value) {
        auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
        return ec == std::errc() && end == part.data() + part.size();
    };
    if (!parse_part(text.substr(0, dot), out.major) || !parse_part(text.substr(dot + 1), out.minor))
        return std::nullopt;
    return out;
}

std::string abi_incompatibility(AbiVersion host, AbiVersion plugin, const std::string& file) {
    if (plugin.major != host.major)
        return "Wrong SDK ABI major version on plugin '" + file + "': built for ABI " + plugin.str() +
               ", this host supports ABI " + host.str() + ". Rebuild the plugin against SDK " +
               std::to_string(host.major) + ".x.";
    if (plugin.minor > host.minor)
        return "Plugin '" + file + "' needs a newer host: built for ABI " + plugin.str() +
               ", this host supports ABI " + host.str() + ". Upgrade MicroCloud or rebuild the plugin against SDK " +
               host.str() + ".";
    return {};
}

}  // namespace microcloud::host::plugins
