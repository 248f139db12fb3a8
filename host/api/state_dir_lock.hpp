// host/api/state_dir_lock.hpp - one microcloudd per state directory: an flock held for the
// daemon's lifetime, with the holder's pid written for the error message of a second daemon.
#pragma once

#include <filesystem>

namespace microcloud::host::api {

class StateDirLock {
public:
    // Creates the directory (mode 0700) if needed and locks it; throws Error("state_dir_locked")
    // naming the directory and the running daemon's pid, or Error("state_dir_unusable").
    explicit StateDirLock(const std::filesystem::path& state_dir);
    ~StateDirLock();
    StateDirLock(const StateDirLock&) = delete;
    StateDirLock& operator=(const StateDirLock&) = delete;

private:
    int fd_ = -1;
};

}  // namespace microcloud::host::api
