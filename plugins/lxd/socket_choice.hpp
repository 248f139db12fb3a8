// plugins/lxd/socket_choice.hpp - which unix socket the plugin talks to LXD through, and why.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace microcloud::plugins::lxd {

/// Where the snap of LXD puts its socket.
inline constexpr std::string_view snap_socket = "/var/snap/lxd/common/lxd/unix.socket";
/// Where the distribution package of LXD (LXD_DIR=/var/lib/lxd) puts its socket.
inline constexpr std::string_view package_socket = "/var/lib/lxd/unix.socket";

/// How a socket path was found.
enum class SocketSource { configured, lxd_dir, snap_default, package_default, none };

/// The socket to use (if any), how it was found and every path that was considered.
struct SocketChoice {
    std::optional<std::string> path;
    SocketSource source = SocketSource::none;
    std::vector<std::string> tried;
};

/// Picks the socket: the configured one; else $LXD_DIR/unix.socket when LXD_DIR is set and not
/// empty; else the first existing of the snap and package defaults; else none.
SocketChoice choose_socket(const std::optional<std::string>& configured, const std::optional<std::string>& lxd_dir,
                           const std::function<bool(const std::string&)>& exists);

/// Short machine-readable name of a source: "config", "LXD_DIR", "snap", "package" or "none".
std::string source_name(SocketSource source);

/// Human words for a source, e.g. "from the plugin configuration".
std::string source_description(SocketSource source);

}  // namespace microcloud::plugins::lxd
