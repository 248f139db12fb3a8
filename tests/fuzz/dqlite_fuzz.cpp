// tests/fuzz/dqlite_fuzz.cpp - fuzzes the dqlite wire decoders a client runs on a server's bytes: the
// whole frame (decode_message), then every response decoder (FAILURE, SERVER, WELCOME, SERVERS, DB,
// STMT, RESULT, ROWS, EMPTY, METADATA) and the tuple readers on the body after the 8-byte header.
#include "cluster/dqlite_protocol.hpp"
#include "cluster/dqlite_wire.hpp"
#include "common/error.hpp"
#include "fuzz_input.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

using namespace microcloud::host;
using namespace microcloud::host::cluster;

namespace {

template <class Decode>
void attempt(Decode decode) {
    microcloud::fuzz::attempt<Error>(decode);
}

void decode_responses(const Message& message) {
    attempt([&] { (void)decode_failure(message); });
    attempt([&] { (void)decode_server(message); });
    attempt([&] { (void)decode_welcome(message); });
    attempt([&] { (void)decode_servers(message, 0); });
    attempt([&] { (void)decode_servers(message, kClusterFormatWithRoles); });
    attempt([&] { (void)decode_db(message); });
    attempt([&] { (void)decode_stmt(message); });
    attempt([&] { (void)decode_result(message); });
    attempt([&] { (void)decode_rows(message); });
    attempt([&] { decode_empty(message); });
    attempt([&] { (void)decode_metadata(message); });
}

// The body as a parameter tuple and as rows of `columns` values.
void read_tuples(std::span<const std::uint8_t> body, std::size_t columns) {
    attempt([&] {
        WireReader reader(body);
        (void)reader.get_params();
    });
    attempt([&] {
        WireReader reader(body);
        while (!reader.at_end()) (void)reader.get_row(columns);
    });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> bytes(data, size);
    attempt([&] { decode_responses(decode_message(bytes)); });
    if (size < kHeaderSize) return 0;
    // The same body under the header's type, whatever its length word says.
    const Header header = decode_header(bytes.first<kHeaderSize>());
    const Message message{header.type, header.schema,
                          std::vector<std::uint8_t>(bytes.begin() + kHeaderSize, bytes.end())};
    decode_responses(message);
    read_tuples(bytes.subspan(kHeaderSize), 1 + header.extra % 16);
    return 0;
}
