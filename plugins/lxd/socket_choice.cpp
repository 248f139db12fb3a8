// plugins/lxd/socket_choice.cpp - chooses LXD's unix socket from configuration, LXD_DIR or defaults.
#include "socket_choice.hpp"

#include <filesystem>

namespace microcloud::plugins::lxd {

SocketChoice choose_socket(const std::optional<std::string>& configured, const std::optional<std::string>& lxd_dir,
                           const std::function<bool(const std::string&)>& exists) {
    if (configured) return {*configured, SocketSource::configured, {*configured}};
    if (lxd_dir && !lxd_dir->empty()) {
        std::string path = (std::filesystem::path(*lxd_dir) / "unix.socket").string();
        return {path, SocketSource::lxd_dir, {path}};
    }
    SocketChoice choice;
    const std::pair<std::string_view, SocketSource> defaults[] = {{snap_socket, SocketSource::snap_default},
                                                                  {package_socket, SocketSource::package_default}};
    for (const auto& [path, source] : defaults) {
        choice.tried.emplace_back(path);
        if (!exists(std::string(path))) continue;
        choice.path = std::string(path);
        choice.source = source;
        return choice;
    }
    return choice;
}

std::string source_name(SocketSource source) {
    switch (source) {
        case SocketSource::configured:
            return "config";
        case SocketSource::lxd_dir:
            return "LXD_DIR";
        case SocketSource::snap_default:
            return "snap";
        case SocketSource::package_default:
            return "package";
        case SocketSource::none:
            break;
    }
    return "none";
}

std::string source_description(SocketSource source) {
    switch (source) {
        case SocketSource::configured:
            return "from the plugin configuration";
        case SocketSource::lxd_dir:
            return "from $LXD_DIR";
        case SocketSource::snap_default:
            return "the snap's default";
        case SocketSource::package_default:
            return "the package's default";
        case SocketSource::none:
            break;
    }
    return "not found";
}

}  // namespace microcloud::plugins::lxd
