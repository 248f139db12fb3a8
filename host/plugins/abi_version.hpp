// host/plugins/abi_version.hpp - SDK ABI versions and the rule that decides compatibility.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace microcloud::host::plugins {

struct AbiVersion {
    std::uint32_t major = 0;
    std::uint32_t minor = 0;

    std::string str() const { return std::to_string(major) + "." + std::to_string(minor); }
    friend bool operator==(const AbiVersion&, const AbiVersion&) = default;
};

// The ABI this host implements (from sdk/include/microcloud/sdk/plugin.h).
AbiVersion host_abi();

// Parses "1.0"; nullopt when it is not <digits>.<digits>.
std::optional<AbiVersion> parse_abi(std::string_view text);

// Empty when a plugin built for `plugin` loads into a host of `host`; otherwise the reason,
// naming `file`, both versions and what to do.
std::string abi_incompatibility(AbiVersion host, AbiVersion plugin, const std::string& file);

}  // namespace microcloud::host::plugins
