// host/common/format.hpp - renders command output as table, compact, json, yaml or csv (the CLI's --format).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace microcloud::host {

// The values of the global `--format` option.
enum class Format { table, json, yaml, csv, compact };

// Parses a `--format` value; exact lowercase names only.
// Throws Error("invalid_format") naming the value and the accepted ones.
Format parse_format(std::string_view text);

// The printable name of a format ("table", "json", ...).
std::string_view format_name(Format format);

// What table and csv print: one header per column, one cell per column in every row.
// A cell may hold several lines ('\n'); the table format shows them on separate lines.
struct Table {
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;
};

// Renders one command's output. json and yaml render `data`; table, compact and csv render `table`.
// - json: pretty, 2-space indent, UTF-8 kept as is (invalid bytes replaced by U+FFFD).
// - yaml: block style; strings that would read back as another type ("true", "1.0", "null")
//   are quoted, numbers, bools and null are plain; empty objects and arrays are {} and [].
// - table: an LXD-style box (+---+ borders, centered header, left-aligned cells, a line
//   between rows); column widths count terminal cells, so UTF-8 and wide characters line up.
// - compact: the table's columns without any border or separator line (upstream's compact
//   format), no trailing blanks.
// - bold_header: the header cells of table and compact in bold (ANSI), for a terminal.
// - csv: one line per row and no header line, as upstream prints csv; RFC 4180 quoting as Go's
//   encoding/csv does it; lines end in "\n".
// The result always ends with a newline, except table and compact without columns, and csv
// without rows, which render as "".
// Throws Error("invalid_table") when a row's cell count differs from the column count.
std::string render(const nlohmann::json& data, const Table& table, Format format, bool bold_header = false);

}  // namespace microcloud::host
