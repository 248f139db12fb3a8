// tests/unit/cluster/cluster_test_support.hpp - temp directories, unique abstract socket names
// and byte-frame helpers shared by the cluster tests.
#pragma once

#include "temp_dir.hpp"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <vector>

#include <stdlib.h>
#include <unistd.h>

namespace microcloud::host::cluster::testing {

// A fresh directory, removed with everything in it at the end of the test.
using TempDir = microcloud::testing::TempDir;

// "@mc-test-<pid>-<n>-<label>": unique per process and call, so parallel test runs never clash.
inline std::string abstract_address(const std::string& label) {
    static std::atomic<int> counter{0};
    return "@mc-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + label;
}

using Bytes = std::vector<std::uint8_t>;

// Concatenates byte groups, so frames read like the spec: header word, then field words.
inline Bytes bytes(std::initializer_list<Bytes> groups) {
    Bytes all;
    for (const Bytes& group : groups) {
        all.insert(all.end(), group.begin(), group.end());
    }
    return all;
}

// One little-endian word.
inline Bytes word(std::uint64_t value) {
    Bytes out(8);
    for (int i = 0; i < 8; ++i) {
        out[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(value >> (8 * i));
    }
    return out;
}

// Text as the wire carries it: the characters, a zero byte, zeros up to a word boundary.
inline Bytes text(const std::string& value) {
    Bytes out(value.begin(), value.end());
    out.resize((value.size() + 1 + 7) / 8 * 8, 0);
    return out;
}

}  // namespace microcloud::host::cluster::testing
