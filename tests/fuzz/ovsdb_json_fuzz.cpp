// tests/fuzz/ovsdb_json_fuzz.cpp - fuzzes what the OVN plugin reads from Open vSwitch: the input as
// one row of a select answer (plain_row, then each column as a string list and external_ids as
// chassis settings), as one OVSDB datum, and as `--version` output.
#include "ovsdb_json.hpp"
#include "plugin_attempt.hpp"
#include "tool_version.hpp"

#include <cstddef>
#include <cstdint>

namespace ovn = microcloud::plugins::ovn;
namespace sdk = microcloud::sdk;

namespace {

using microcloud::fuzz::attempt_plugin;

void read_row(const sdk::Json& row) {
    for (const sdk::Json& value : row) attempt_plugin([&] { (void)ovn::string_list(value); });
    if (row.contains("external_ids")) attempt_plugin([&] { (void)ovn::chassis_settings(row["external_ids"]).dump(); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = microcloud::fuzz::as_text(data, size);
    attempt_plugin([&] {
        const sdk::Json parsed = sdk::Json::parse(text, nullptr, false);
        if (parsed.is_discarded()) return;
        (void)ovn::plain_datum(parsed).dump();
        read_row(ovn::plain_row(parsed));
    });
    attempt_plugin([&] { (void)ovn::parse_tool_version(text); });
    return 0;
}
