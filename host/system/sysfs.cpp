// host/system/sysfs.cpp - non-throwing readers for sysfs/procfs attribute files and links.
#include "system/sysfs.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

namespace microcloud::host::system {

namespace fs = std::filesystem;

std::optional<std::string> read_whole_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return text.str();
}

std::optional<std::string> read_attribute(const fs::path& file) {
    auto text = read_whole_file(file);
    if (!text) return std::nullopt;
    auto end = text->find_last_not_of(" \t\r\n");
    text->erase(end == std::string::npos ? 0 : end + 1);
    return text;
}

std::string read_attribute_or(const fs::path& file, const std::string& fallback) {
    return read_attribute(file).value_or(fallback);
}

std::optional<std::int64_t> read_integer(const fs::path& file) {
    const std::string text = read_attribute(file).value_or("");
    const char* const first = text.data();
    const char* const last = first + text.size();
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(first, last, value);
    if (text.empty() || ec != std::errc() || end != last) return std::nullopt;
    return value;
}

bool attribute_is_set(const fs::path& file) {
    return read_attribute(file) == "1";
}

std::vector<std::string> entry_names(const fs::path& dir) {
    std::vector<std::string> names;
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) return names;
    for (; it != fs::directory_iterator(); it.increment(ec)) {
        if (ec) break;
        names.push_back(it->path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::string link_target_name(const fs::path& link) {
    std::error_code ec;
    auto target = fs::read_symlink(link, ec);
    if (ec) return {};
    return target.filename().string();
}

bool entry_exists(const fs::path& path) {
    std::error_code ec;
    return fs::exists(fs::symlink_status(path, ec));
}

bool directory_exists(const fs::path& path) {
    std::error_code ec;
    return fs::is_directory(path, ec);
}

}  // namespace microcloud::host::system
