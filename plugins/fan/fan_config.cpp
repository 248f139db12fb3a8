// plugins/fan/fan_config.cpp - rejects configuration keys: the fan plugin takes none.
#include "fan_config.hpp"

namespace microcloud::plugins::fan {

void check_fan_config(const sdk::Json& config) {
    if (config.is_null()) return;
    if (!config.is_object())
        throw sdk::Error("invalid_config",
                         "fan: the configuration must be an empty object; the fan plugin accepts no keys");
    for (const auto& [key, value] : config.items())
        throw sdk::Error("invalid_config",
                         "fan: configuration key \"" + key + "\" is unknown; the fan plugin accepts no keys",
                         {{"key", key}, {"accepted", sdk::Json::array()}});
}

}  // namespace microcloud::plugins::fan
