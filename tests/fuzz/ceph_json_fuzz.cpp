// tests/fuzz/ceph_json_fuzz.cpp - fuzzes what the Ceph plugin reads from the ceph tools: the JSON of
// `ceph -s --format json` (summarise_ceph_status), the documents of one `ceph` that read several
// commands (json_documents) and the `--version` line (parse_ceph_version).
#include "ceph_status.hpp"
#include "ceph_version.hpp"
#include "plugin_attempt.hpp"

#include <cstddef>
#include <cstdint>

namespace ceph = microcloud::plugins::ceph;
using microcloud::fuzz::attempt_plugin;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = microcloud::fuzz::as_text(data, size);
    attempt_plugin([&] {
        if (const auto summary = ceph::summarise_ceph_status(text)) (void)summary->dump();
    });
    attempt_plugin([&] {
        const auto documents = ceph::json_documents(text);
        (void)ceph::summarise_status_document(ceph::document_with(documents, "health"));
    });
    attempt_plugin([&] { (void)ceph::parse_ceph_version(text); });
    return 0;
}
