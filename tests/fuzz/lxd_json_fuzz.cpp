// tests/fuzz/lxd_json_fuzz.cpp - fuzzes what the LXD plugin reads from LXD's API: the response envelope
// (metadata_of) of a 200 and of an error answer, the summaries of GET /1.0, /1.0/storage-pools and
// /1.0/networks (recursion=1) made from its metadata, and LXD's cluster join token.
#include "envelope.hpp"
#include "inventory.hpp"
#include "join_token.hpp"
#include "plugin_attempt.hpp"
#include "server_summary.hpp"

#include <cstddef>
#include <cstdint>

namespace lxd = microcloud::plugins::lxd;
namespace sdk = microcloud::sdk;

using microcloud::fuzz::attempt_plugin;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string body(microcloud::fuzz::as_text(data, size));
    attempt_plugin([&] { (void)lxd::metadata_of(sdk::HttpResponse{404, body}, "GET /1.0/networks/x"); });
    attempt_plugin([&] {
        const sdk::Json metadata = lxd::metadata_of(sdk::HttpResponse{200, body}, "GET /1.0");
        attempt_plugin([&] { (void)lxd::summarize_server(metadata).dump(); });
        attempt_plugin([&] { (void)lxd::summarize_storage_pools(metadata).dump(); });
        attempt_plugin([&] { (void)lxd::summarize_networks(metadata).dump(); });
    });
    attempt_plugin([&] { (void)lxd::decode_join_token(body); });
    return 0;
}
