// tests/unit/plugins/lxd/test_data.hpp - loads the LXD answers captured in data/ for the tests.
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <string>

namespace microcloud::plugins::lxd::test {

/// The text of data/<name>.
std::string read_data(const std::string& name);

/// data/<name> parsed as JSON.
sdk::Json load_data(const std::string& name);

}  // namespace microcloud::plugins::lxd::test
