// host/api/paths.cpp - resolving the state directory from flag, environment and default.
#include "api/paths.hpp"

#include <cstdlib>

namespace microcloud::host::api {

std::filesystem::path resolve_state_dir(const std::string& flag) {
    if (!flag.empty()) return flag;
    if (const char* env = std::getenv("MICROCLOUD_STATE_DIR"); env && *env) return env;
    return kDefaultStateDir;
}

}  // namespace microcloud::host::api
