// tests/fuzz/plugin_attempt.hpp - for the fuzz targets of the plugins' parsers: runs a step, swallowing
// the two ways a plugin refuses bad input (sdk::Error and a JSON exception); anything else is a finding.
#pragma once

#include "fuzz_input.hpp"

#include <microcloud/sdk/plugin.hpp>

namespace microcloud::fuzz {

template <class Step>
void attempt_plugin(Step&& step) {
    attempt<sdk::Error, sdk::Json::exception>(step);
}

}  // namespace microcloud::fuzz
