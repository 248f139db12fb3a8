// host/api/paths.hpp - where a member's daemon keeps its state and control socket; shared by the
// daemon and the CLI so both agree without configuration.
#pragma once

#include <filesystem>
#include <string>

namespace microcloud::host::api {

inline constexpr const char* kDefaultStateDir = "/var/lib/microcloud";

// --state-dir when given, else $MICROCLOUD_STATE_DIR, else /var/lib/microcloud.
std::filesystem::path resolve_state_dir(const std::string& flag);

inline std::filesystem::path control_socket(const std::filesystem::path& state_dir) {
    return state_dir / "control.socket";
}

}  // namespace microcloud::host::api
