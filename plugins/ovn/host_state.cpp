// plugins/ovn/host_state.cpp - kernel module, pid file and socket checks.
#include "host_state.hpp"

#include <charconv>
#include <fstream>

namespace microcloud::plugins::ovn {
namespace fs = std::filesystem;

bool kernel_module_loaded(const fs::path& sys_root, std::string_view name) {
    std::error_code ec;
    return fs::is_directory(sys_root / "module" / std::string(name), ec);
}

bool is_socket(const fs::path& path) {
    std::error_code ec;
    return fs::is_socket(path, ec);
}

DaemonState daemon_state(std::string_view name, const fs::path& pidfile, const fs::path& proc_root) {
    DaemonState state{std::string(name), pidfile.string(), std::nullopt, false};
    std::ifstream in(pidfile);
    std::string text;
    if (!in || !std::getline(in, text)) return state;
    long pid = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), pid);
    if (ec != std::errc() || pid <= 0) return state;
    state.pid = pid;
    std::error_code fs_ec;
    state.running = fs::is_directory(proc_root / std::to_string(pid), fs_ec);
    // A daemon killed but not yet reaped by its parent is a zombie: dead all the same.
    std::ifstream stat(proc_root / std::to_string(pid) / "stat");
    std::string line;
    if (state.running && stat && std::getline(stat, line)) {
        const auto close = line.rfind(')');
        if (close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z') state.running = false;
    }
    return state;
}

}  // namespace microcloud::plugins::ovn
