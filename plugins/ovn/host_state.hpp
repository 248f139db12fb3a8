// plugins/ovn/host_state.hpp - local, read-only facts from the file system: kernel modules,
// daemons' pid files, unix sockets. Roots are parameters so tests use fake trees.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace microcloud::plugins::ovn {

// Whether kernel module `name` is loaded or built in (<sys_root>/module/<name> exists).
bool kernel_module_loaded(const std::filesystem::path& sys_root, std::string_view name);

// Whether `path` is a unix socket.
bool is_socket(const std::filesystem::path& path);

// A daemon as its pid file tells it.
struct DaemonState {
    std::string name;
    std::string pidfile;
    std::optional<long> pid;  // from the pid file, when it holds a positive number
    bool running = false;     // the pid is alive (<proc_root>/<pid> exists and is no zombie)
};

// Reads `pidfile` and checks the process under `proc_root`.
DaemonState daemon_state(std::string_view name, const std::filesystem::path& pidfile,
                         const std::filesystem::path& proc_root);

}  // namespace microcloud::plugins::ovn
