// tests/fuzz/http_head_fuzz.cpp - fuzzes the HTTP/1.1 reader of the peer port: the input is read as
// read_request reads a TLS stream (parse_request: head up to the empty line, then the body by its
// framing); an input starting "HTTP/" is read as a response instead (parse_response), as a joiner
// reads the initiator's answer. Accepted messages have their Connection header checked for tokens.
#include "common/error.hpp"
#include "fuzz_input.hpp"
#include "transport/http_wire.hpp"

#include <cstddef>
#include <cstdint>

using namespace microcloud::host;
namespace http = microcloud::host::transport::http;

namespace {

// A body limit small enough for the fuzzer to cross it.
constexpr std::size_t kMaxBody = 4096;

void inspect(const http::Message& message) {
    const auto connection = message.headers.find("connection");
    if (connection != message.headers.end()) {
        (void)http::has_token(connection->second, "keep-alive");
        (void)http::has_token(connection->second, "upgrade");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view wire = microcloud::fuzz::as_text(data, size);
    try {
        if (wire.starts_with("HTTP/")) {
            inspect(http::parse_response(wire, "GET", kMaxBody));
            inspect(http::parse_response(wire, "HEAD", kMaxBody));
        } else {
            inspect(http::parse_request(wire, kMaxBody));
        }
    } catch (const Error&) {
    }
    return 0;
}
