// host/trust/atomic_file.cpp - whole-file reads and atomic writes (temp file in the same directory, fsync,
// rename, fsync of the directory).
#include "trust/atomic_file.hpp"

#include "common/error.hpp"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace microcloud::host::trust {
namespace {

[[noreturn]] void fail_write(const std::filesystem::path& path, const std::string& step, int err) {
    throw Error("file_write_failed", "Failed to write " + path.string() + " (" + step + "): " + std::strerror(err),
                {{"path", path.string()}, {"step", step}});
}

// Closes a descriptor when it goes out of scope.
class FdGuard {
public:
    explicit FdGuard(int fd) : fd_(fd) {}
    FdGuard(const FdGuard&) = delete;
    FdGuard& operator=(const FdGuard&) = delete;
    ~FdGuard() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }
    int release() {
        int fd = fd_;
        fd_ = -1;
        return fd;
    }

private:
    int fd_;
};

// Removes the temporary file unless the rename succeeded.
class TempGuard {
public:
    explicit TempGuard(std::filesystem::path path) : path_(std::move(path)) {}
    TempGuard(const TempGuard&) = delete;
    TempGuard& operator=(const TempGuard&) = delete;
    ~TempGuard() {
        if (!path_.empty()) ::unlink(path_.c_str());
    }
    void commit() { path_.clear(); }

private:
    std::filesystem::path path_;
};

std::filesystem::path temp_name_for(const std::filesystem::path& path) {
    std::array<unsigned char, 8> random{};
    if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) fail_write(path, "random name", EIO);
    std::string suffix;
    static constexpr char hex[] = "0123456789abcdef";
    for (unsigned char byte : random) {
        suffix += hex[byte >> 4];
        suffix += hex[byte & 0xf];
    }
    std::string name = ".";
    name += path.filename().string();
    name += ".tmp-";
    name += suffix;
    return path.parent_path() / name;
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view content, mode_t mode) {
    const std::filesystem::path temp = temp_name_for(path);
    FdGuard fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
    if (fd.get() < 0) fail_write(path, "create temporary file", errno);
    TempGuard cleanup(temp);
    // The umask may have narrowed the mode; set it exactly.
    if (::fchmod(fd.get(), mode) != 0) fail_write(path, "chmod", errno);

    const char* data = content.data();
    std::size_t left = content.size();
    while (left > 0) {
        ssize_t n = ::write(fd.get(), data, left);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail_write(path, "write", errno);
        data += n;
        left -= static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0) fail_write(path, "fsync", errno);
    if (::close(fd.release()) != 0) fail_write(path, "close", errno);
    if (::rename(temp.c_str(), path.c_str()) != 0) fail_write(path, "rename", errno);
    cleanup.commit();

    std::filesystem::path dir = path.parent_path().empty() ? "." : path.parent_path();
    FdGuard dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir_fd.get() >= 0) ::fsync(dir_fd.get());
}

std::string read_whole_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        int err = errno;
        throw Error("file_read_failed", "Failed to read " + path.string() + ": " + std::strerror(err),
                    {{"path", path.string()}});
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

}  // namespace microcloud::host::trust
