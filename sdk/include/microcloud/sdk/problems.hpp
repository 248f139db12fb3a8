// microcloud/sdk/problems.hpp - header-only helper for the validate hook's answer: a list of
// problems {"field", "message", "severity"} built one rule at a time. Compiled into the plugin;
// not part of the ABI.
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <string>

namespace microcloud::sdk {

/// The problems a validate hook finds with a plan; `list` is what validate returns. Since ABI 1.0.
struct Problems {
    /// [{"field", "message", "severity"}], in the order they were found. Since ABI 1.0.
    Json list = Json::array();

    /// A problem that stops the run before anything changes. The message names the value and what
    /// would be accepted; `field` is the preseed key it concerns. Since ABI 1.0.
    void error(const std::string& field, const std::string& message) { add(field, message, "error"); }

    /// A problem the run reports and goes on with. Since ABI 1.0.
    void warn(const std::string& field, const std::string& message) { add(field, message, "warning"); }

private:
    void add(const std::string& field, const std::string& message, const char* severity) {
        list.push_back({{"field", field}, {"message", message}, {"severity", severity}});
    }
};

}  // namespace microcloud::sdk
