// tests/fuzz/announcement_fuzz.cpp - fuzzes the multicast discovery datagrams: parse_probe and
// parse_server_info, the version check, and that an accepted reply survives encode and parse unchanged.
#include "common/error.hpp"
#include "discovery/announcement.hpp"
#include "fuzz_input.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>

using namespace microcloud::host;
using namespace microcloud::host::discovery;
using microcloud::fuzz::require;

namespace {

bool same(const ServerInfo& a, const ServerInfo& b) {
    return a.version == b.version && a.name == b.name && a.address == b.address && a.fingerprint == b.fingerprint &&
           a.services == b.services;
}

void server_info(std::string_view text) {
    try {
        const ServerInfo info = parse_server_info(text);
        require(same(parse_server_info(encode_server_info(info)), info));
        (void)version_mismatch_message(info.name, info.version, kFormatVersion);
        check_version(info);
    } catch (const Error&) {
    }
}

void probe(std::string_view text) {
    try {
        const Probe parsed = parse_probe(text);
        require(parse_probe(encode_probe(parsed)).version == parsed.version);
    } catch (const Error&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = microcloud::fuzz::as_text(data, size);
    try {
        probe(text);
        server_info(text);
    } catch (const nlohmann::json::exception&) {
    }
    return 0;
}
