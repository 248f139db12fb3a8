// tests/fuzz/ceph_json_fuzz.cpp - fuzzes what the Ceph plugin reads from the ceph tools: the JSON of
// `ceph -s --format json` (summarise_ceph_status) and the `--version` line (parse_ceph_version).
#include "ceph_status.hpp"
#include "ceph_version.hpp"
#include "fuzz_input.hpp"

#include <cstddef>
#include <cstdint>

namespace ceph = microcloud::plugins::ceph;
namespace sdk = microcloud::sdk;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = microcloud::fuzz::as_text(data, size);
    try {
        if (const auto summary = ceph::summarise_ceph_status(text)) (void)summary->dump();
    } catch (const sdk::Error&) {
    } catch (const sdk::Json::exception&) {
    }
    try {
        (void)ceph::parse_ceph_version(text);
    } catch (const sdk::Error&) {
    }
    return 0;
}
