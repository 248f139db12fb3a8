// tests/fuzz/ovsdb_json_fuzz.cpp - fuzzes what the OVN plugin reads from Open vSwitch: the JSON of
// `ovs-vsctl --format=json list <table>` (parse_vsctl_list, then each row's columns as string lists
// and external_ids as chassis settings), the input as one OVSDB datum, and `--version` output.
#include "ovsdb_json.hpp"
#include "plugin_attempt.hpp"
#include "tool_version.hpp"

#include <cstddef>
#include <cstdint>

namespace ovn = microcloud::plugins::ovn;
namespace sdk = microcloud::sdk;

namespace {

using microcloud::fuzz::attempt_plugin;

void read_rows(const std::vector<sdk::Json>& rows) {
    for (const sdk::Json& row : rows) {
        if (!row.is_object()) continue;
        for (const sdk::Json& value : row) attempt_plugin([&] { (void)ovn::string_list(value); });
        if (row.contains("external_ids")) attempt_plugin([&] { (void)ovn::chassis_settings(row["external_ids"]).dump(); });
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = microcloud::fuzz::as_text(data, size);
    attempt_plugin([&] {
        if (const auto rows = ovn::parse_vsctl_list(text)) read_rows(*rows);
    });
    attempt_plugin([&] {
        const sdk::Json datum = sdk::Json::parse(text, nullptr, false);
        if (!datum.is_discarded()) (void)ovn::plain_datum(datum).dump();
    });
    attempt_plugin([&] { (void)ovn::parse_tool_version(text); });
    return 0;
}
