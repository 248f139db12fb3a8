// host/system/sysfs.hpp - small, non-throwing readers for sysfs/procfs attribute files and links.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace microcloud::host::system {

// The file's contents without trailing whitespace; nullopt when it cannot be read.
std::optional<std::string> read_attribute(const std::filesystem::path& file);

// The file's contents without trailing whitespace, or `fallback` when it cannot be read.
std::string read_attribute_or(const std::filesystem::path& file, const std::string& fallback);

// The file's contents as a decimal integer; nullopt when unreadable or not a number.
std::optional<std::int64_t> read_integer(const std::filesystem::path& file);

// True when the attribute reads "1".
bool attribute_is_set(const std::filesystem::path& file);

// The whole file; nullopt when it cannot be opened.
std::optional<std::string> read_whole_file(const std::filesystem::path& file);

// Names of the entries in `dir`, sorted; empty when `dir` is missing.
std::vector<std::string> entry_names(const std::filesystem::path& dir);

// The last component of what the symlink `link` points at; "" when it is not a symlink.
std::string link_target_name(const std::filesystem::path& link);

// True when `path` exists as anything (a dangling symlink counts).
bool entry_exists(const std::filesystem::path& path);

// True when `path` is a directory (following symlinks).
bool directory_exists(const std::filesystem::path& path);

}  // namespace microcloud::host::system
