// tests/lib/support/temp_dir.hpp - a temporary directory for tests, removed with
// everything in it when the object goes away.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace microcloud::testing {

class TempDir {
public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "mc-plugin-test-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }

    // Writes `text` to <dir>/<relative>, creating parent directories; returns the full path.
    std::filesystem::path write(const std::string& relative, const std::string& text) const {
        auto file = path_ / relative;
        std::filesystem::create_directories(file.parent_path());
        std::ofstream(file) << text;
        return file;
    }

    // Creates <dir>/<relative> as a directory; returns the full path.
    std::filesystem::path mkdir(const std::string& relative) const {
        auto dir = path_ / relative;
        std::filesystem::create_directories(dir);
        return dir;
    }

    // Creates <dir>/<relative> as a symlink to `target` (which need not exist); returns its path.
    std::filesystem::path link(const std::string& relative, const std::filesystem::path& target) const {
        auto file = path_ / relative;
        std::filesystem::create_directories(file.parent_path());
        std::filesystem::create_symlink(target, file);
        return file;
    }

private:
    std::filesystem::path path_;
};

}  // namespace microcloud::testing
