// tests/fuzz/manifest_fuzz.cpp - fuzzes plugin manifests: each input is written as manifest.json in one
// temporary directory (made once per process, removed at exit) and read with read_manifest; what is
// accepted must serialise (to_json) and read back the same.
#include "common/error.hpp"
#include "fuzz_input.hpp"
#include "plugins/manifest.hpp"

#include <nlohmann/json.hpp>

#include <unistd.h>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

using namespace microcloud::host;
using microcloud::fuzz::require;

namespace {

namespace fs = std::filesystem;

// The temporary directory holding manifest.json, removed when the process exits.
class ScratchDir {
public:
    ScratchDir() {
        std::string pattern = (fs::temp_directory_path() / "microcloud-manifest-fuzz-XXXXXX").string();
        if (mkdtemp(pattern.data()) == nullptr) std::abort();
        path_ = pattern;
    }
    ~ScratchDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

const fs::path& scratch() {
    static const ScratchDir dir;
    return dir.path();
}

void write_manifest(std::string_view text) {
    std::ofstream out(scratch() / "manifest.json", std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        write_manifest(microcloud::fuzz::as_text(data, size));
        const plugins::Manifest manifest = plugins::read_manifest(scratch());
        const nlohmann::json written = manifest.to_json();
        write_manifest(written.dump());
        require(plugins::read_manifest(scratch()).to_json() == written);
    } catch (const Error&) {
    } catch (const nlohmann::json::exception&) {
    }
    return 0;
}
