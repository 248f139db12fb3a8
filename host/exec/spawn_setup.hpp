// host/exec/spawn_setup.hpp - posix_spawn's attribute and file-action objects, initialised together
// and destroyed on every path (commands and plugin workers are both started with posix_spawn).
#pragma once

#include <spawn.h>

namespace microcloud::host::exec {

struct SpawnSetup {
    posix_spawnattr_t attr{};
    posix_spawn_file_actions_t actions{};
    SpawnSetup() {
        ::posix_spawnattr_init(&attr);
        ::posix_spawn_file_actions_init(&actions);
    }
    ~SpawnSetup() {
        ::posix_spawn_file_actions_destroy(&actions);
        ::posix_spawnattr_destroy(&attr);
    }
    SpawnSetup(const SpawnSetup&) = delete;
    SpawnSetup& operator=(const SpawnSetup&) = delete;
};

}  // namespace microcloud::host::exec
