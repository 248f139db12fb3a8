// tests/unit/trust/trust_test_support.hpp - a scratch directory per test and a wrapper around the openssl CLI.
#pragma once

#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

namespace microcloud::host::trust::test {

// A fresh directory, removed with everything in it at the end of the scope.
using ScratchDir = microcloud::testing::TempDir;

// Standard output of a shell command (the test fails if it exits non-zero).
inline std::string run_command(const std::string& command) {
    struct PcloseDeleter {
        void operator()(FILE* f) const { ::pclose(f); }
    };
    std::unique_ptr<FILE, PcloseDeleter> pipe(::popen(command.c_str(), "r"));
    if (!pipe) throw std::runtime_error("popen failed: " + command);
    std::string out;
    std::array<char, 512> buffer{};
    while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe.get())) out.append(buffer.data(), n);
    int status = ::pclose(pipe.release());
    EXPECT_EQ(status, 0) << command;
    return out;
}

// `openssl x509 -fingerprint -sha256` of a PEM file, as lowercase hex without colons.
inline std::string openssl_cli_fingerprint(const std::filesystem::path& pem_file) {
    std::string out = run_command("openssl x509 -noout -fingerprint -sha256 -in '" + pem_file.string() + "'");
    std::string hex;
    for (char c : out.substr(out.find('=') + 1)) {
        if (std::isxdigit(static_cast<unsigned char>(c))) hex += static_cast<char>(std::tolower(c));
    }
    return hex;
}

}  // namespace microcloud::host::trust::test
