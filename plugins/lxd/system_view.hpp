// plugins/lxd/system_view.hpp - the little of the local system discovery reads directly
// (environment variables, whether a path exists, small text files), replaceable in tests.
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace microcloud::plugins::lxd {

struct SystemView {
    /// The value of an environment variable; nullopt when unset.
    std::function<std::optional<std::string>(const std::string&)> env;
    /// True when something exists at the path.
    std::function<bool(const std::string&)> exists;
    /// The text of a (small) file; nullopt when it cannot be read. May be left empty: nothing is readable.
    std::function<std::optional<std::string>(const std::string&)> read;

    /// The real process environment and file system.
    static SystemView real();
};

}  // namespace microcloud::plugins::lxd
