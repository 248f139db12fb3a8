// tests/unit/system/fake_root.hpp - a temporary sys/proc/dev tree for facts tests, removed afterwards.
#pragma once

#include "system/facts.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace microcloud::host::system::testing {

class FakeRoot {
public:
    FakeRoot() {
        std::string pattern = (std::filesystem::temp_directory_path() / "mc-facts-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
        base_ = pattern;
    }
    ~FakeRoot() {
        std::error_code ec;
        std::filesystem::remove_all(base_, ec);
    }
    FakeRoot(const FakeRoot&) = delete;
    FakeRoot& operator=(const FakeRoot&) = delete;

    FactsRoots roots() const { return {base_ / "sys", base_ / "proc", base_ / "dev"}; }
    const std::filesystem::path& base() const { return base_; }

    // Writes `text` to base/relative, creating parent directories.
    void write(const std::filesystem::path& relative, const std::string& text) const {
        const auto file = base_ / relative;
        std::filesystem::create_directories(file.parent_path());
        std::ofstream(file) << text;
    }

    void mkdir(const std::filesystem::path& relative) const { std::filesystem::create_directories(base_ / relative); }

    // Creates base/relative as a symlink to `target` (which need not exist).
    void link(const std::filesystem::path& relative, const std::filesystem::path& target) const {
        const auto file = base_ / relative;
        std::filesystem::create_directories(file.parent_path());
        std::filesystem::create_symlink(target, file);
    }

private:
    std::filesystem::path base_;
};

}  // namespace microcloud::host::system::testing
