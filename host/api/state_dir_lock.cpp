// host/api/state_dir_lock.cpp - flock-based exclusive ownership of a state directory.
#include "api/state_dir_lock.hpp"

#include "common/error.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace microcloud::host::api {

StateDirLock::StateDirLock(const std::filesystem::path& state_dir) {
    std::error_code ec;
    std::filesystem::create_directories(state_dir, ec);
    if (ec)
        throw Error("state_dir_unusable", "Cannot create state directory " + state_dir.string() + ": " + ec.message());
    ::chmod(state_dir.c_str(), 0700);
    const std::string lock_path = (state_dir / "microcloudd.lock").string();
    fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) throw Error("state_dir_unusable", "Cannot open " + lock_path + ": " + std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        char pid[32] = {};
        ssize_t n = ::pread(fd_, pid, sizeof(pid) - 1, 0);
        std::string holder = n > 0 ? std::string(pid, static_cast<size_t>(n)) : std::string("unknown");
        while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
        ::close(fd_);
        fd_ = -1;
        throw Error("state_dir_locked", "Another microcloudd (pid " + holder +
                                            ") is already running with state directory " + state_dir.string() +
                                            "; stop it first or choose another --state-dir");
    }
    std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, pid.data(), pid.size(), 0) < 0) {
        // The lock itself is what matters; a missing pid only makes a later message vaguer.
    }
}

StateDirLock::~StateDirLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace microcloud::host::api
