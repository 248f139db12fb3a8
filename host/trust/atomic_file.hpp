// host/trust/atomic_file.hpp - whole-file reads and atomic (temp file + fsync + rename) writes with a mode.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace microcloud::host::trust {

// Replaces `path` with `content` so readers see either the old or the new file, never a partial one.
// The file is created with `mode` (e.g. 0600 for private keys) before any byte is written.
// Throws Error("file_write_failed") naming the path and the system error.
void write_file_atomically(const std::filesystem::path& path, std::string_view content, mode_t mode);

// The whole file; throws Error("file_read_failed") naming the path and the system error.
std::string read_whole_file(const std::filesystem::path& path);

}  // namespace microcloud::host::trust
