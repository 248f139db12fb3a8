// tests/unit/system/fake_root.hpp - a temporary sys/proc/dev tree for facts tests, removed afterwards.
#pragma once

#include "system/facts.hpp"
#include "temp_dir.hpp"

#include <filesystem>

namespace microcloud::host::system::testing {

// The shared temporary directory, seen as the roots the facts code reads.
class FakeRoot : public microcloud::testing::TempDir {
public:
    FactsRoots roots() const { return {path() / "sys", path() / "proc", path() / "dev"}; }
    const std::filesystem::path& base() const { return path(); }
};

}  // namespace microcloud::host::system::testing
