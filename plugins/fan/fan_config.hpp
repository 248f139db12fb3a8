// plugins/fan/fan_config.hpp - the fan plugin's configuration: it has none, and says so.
#pragma once

#include <microcloud/sdk/plugin.hpp>

namespace microcloud::plugins::fan {

// Accepts null or an empty object; throws sdk::Error("invalid_config") naming any key given.
void check_fan_config(const sdk::Json& config);

}  // namespace microcloud::plugins::fan
