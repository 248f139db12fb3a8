// host/common/format.cpp - renders command output as table, compact, json, yaml or csv (the CLI's --format).
#include "common/format.hpp"

#include "common/error.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <regex>
#include <string>
#include <utility>

namespace microcloud::host {

namespace {

constexpr std::array<std::pair<std::string_view, Format>, 5> kFormats{{
    {"table", Format::table},
    {"json", Format::json},
    {"yaml", Format::yaml},
    {"csv", Format::csv},
    {"compact", Format::compact},
}};

constexpr std::string_view kAccepted = "table, json, yaml, csv, compact";

// ---- json -------------------------------------------------------------------------------------

std::string render_json(const nlohmann::json& data) {
    return data.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

// ---- yaml -------------------------------------------------------------------------------------

// True when a YAML reader (1.1 or 1.2 core schema, as Go's and Python's readers use) would
// take this plain scalar for something other than a string: null, a bool, a number, a date.
bool reads_back_as_non_string(const std::string& text) {
    static const std::regex kNonString(
        "|~|null|Null|NULL"
        "|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
        "|[-+]?(\\.[0-9]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?"  // decimal, float
        "|[-+]?0x[0-9a-fA-F_]+|[-+]?0o[0-7_]+|[-+]?0b[01_]+"             // hex, octal, binary
        "|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?"                 // sexagesimal (1.1)
        "|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)"
        "|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?"  // timestamp (1.1)
        "|<<|=");
    return std::regex_match(text, kNonString);
}

void emit_string(YAML::Emitter& out, const std::string& text) {
    if (reads_back_as_non_string(text)) {
        out << YAML::DoubleQuoted;
    }
    out << text;
}

void emit_yaml(YAML::Emitter& out, const nlohmann::json& value) {
    switch (value.type()) {
        case nlohmann::json::value_t::object:
            if (value.empty()) {
                out << YAML::Flow;
            }
            out << YAML::BeginMap;
            for (const auto& [key, item] : value.items()) {
                out << YAML::Key;
                emit_string(out, key);
                out << YAML::Value;
                emit_yaml(out, item);
            }
            out << YAML::EndMap;
            return;
        case nlohmann::json::value_t::array:
            if (value.empty()) {
                out << YAML::Flow;
            }
            out << YAML::BeginSeq;
            for (const auto& item : value) {
                emit_yaml(out, item);
            }
            out << YAML::EndSeq;
            return;
        case nlohmann::json::value_t::string:
            emit_string(out, value.get_ref<const std::string&>());
            return;
        case nlohmann::json::value_t::boolean:
            out << (value.get<bool>() ? "true" : "false");
            return;
        case nlohmann::json::value_t::number_integer:
        case nlohmann::json::value_t::number_unsigned:
        case nlohmann::json::value_t::number_float:
            out << value.dump();  // nlohmann's shortest round-trip text, e.g. 1.5, 1.0, 1e+100
            return;
        case nlohmann::json::value_t::null:
        case nlohmann::json::value_t::discarded:
            out << YAML::Null;
            return;
        case nlohmann::json::value_t::binary:
            out << YAML::Binary(value.get_binary().data(), value.get_binary().size());
            return;
    }
}

std::string render_yaml(const nlohmann::json& data) {
    YAML::Emitter out;
    out.SetNullFormat(YAML::LowerNull);
    out.SetIndent(2);
    emit_yaml(out, data);
    if (!out.good()) {
        throw Error("yaml_render_failed", "cannot render output as YAML: " + out.GetLastError());
    }
    return std::string(out.c_str()) + "\n";
}

// ---- table ------------------------------------------------------------------------------------

// Decodes one UTF-8 sequence at `pos`; invalid bytes decode as themselves, one byte long.
char32_t next_code_point(std::string_view text, std::size_t& pos) {
    const auto lead = static_cast<unsigned char>(text[pos]);
    const std::size_t length = lead < 0x80           ? 1
                               : (lead >> 5) == 0x6  ? 2
                               : (lead >> 4) == 0xE  ? 3
                               : (lead >> 3) == 0x1E ? 4
                                                     : 0;
    if (length <= 1 || pos + length > text.size()) {
        ++pos;
        return lead;
    }
    char32_t code = lead & (0x7F >> length);
    for (std::size_t i = 1; i < length; ++i) {
        const auto next = static_cast<unsigned char>(text[pos + i]);
        if ((next & 0xC0) != 0x80) {
            ++pos;
            return lead;
        }
        code = (code << 6) | (next & 0x3F);
    }
    pos += length;
    return code;
}

bool in_ranges(char32_t code, std::initializer_list<std::pair<char32_t, char32_t>> ranges) {
    return std::any_of(ranges.begin(), ranges.end(),
                       [code](const auto& range) { return code >= range.first && code <= range.second; });
}

// Terminal cells one code point takes: 0 for controls and combining marks, 2 for East Asian
// wide characters and emoji, 1 otherwise.
std::size_t cell_width(char32_t code) {
    if (code < 0x20 || (code >= 0x7F && code < 0xA0)) {
        return 0;
    }
    // clang-format off
    if (in_ranges(code, {{0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A},
                         {0x064B, 0x065F}, {0x200B, 0x200F}, {0x20D0, 0x20FF}, {0xFE00, 0xFE0F},
                         {0xFE20, 0xFE2F}, {0xE0100, 0xE01EF}})) {
        return 0;
    }
    if (in_ranges(code, {{0x1100, 0x115F}, {0x2E80, 0x303E}, {0x3041, 0x33FF}, {0x3400, 0x4DBF},
                         {0x4E00, 0x9FFF}, {0xA000, 0xA4CF}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF},
                         {0xFE30, 0xFE4F}, {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6}, {0x1F300, 0x1F64F},
                         {0x1F900, 0x1F9FF}, {0x20000, 0x3FFFD}})) {
        return 2;
    }
    // clang-format on
    return 1;
}

std::size_t display_width(std::string_view text) {
    std::size_t width = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        width += cell_width(next_code_point(text, pos));
    }
    return width;
}

std::vector<std::string> split_lines(const std::string& cell) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    for (std::size_t end; (end = cell.find('\n', start)) != std::string::npos; start = end + 1) {
        lines.push_back(cell.substr(start, end - start));
    }
    lines.push_back(cell.substr(start));
    return lines;
}

// One row of the box: every cell split into its lines.
using BoxRow = std::vector<std::vector<std::string>>;

BoxRow to_box_row(const std::vector<std::string>& cells) {
    BoxRow row;
    row.reserve(cells.size());
    for (const auto& cell : cells) {
        row.push_back(split_lines(cell));
    }
    return row;
}

void check_row_sizes(const Table& table) {
    for (std::size_t index = 0; index < table.rows.size(); ++index) {
        if (table.rows[index].size() != table.columns.size()) {
            throw Error("invalid_table",
                        "cannot render row " + std::to_string(index + 1) + ": it has " +
                            std::to_string(table.rows[index].size()) + " cells, the table has " +
                            std::to_string(table.columns.size()) + " columns",
                        {{"row", index + 1}, {"cells", table.rows[index].size()}, {"columns", table.columns.size()}});
        }
    }
}

std::string separator_line(const std::vector<std::size_t>& widths) {
    std::string line = "+";
    for (const auto width : widths) {
        line += std::string(width + 2, '-') + "+";
    }
    return line + "\n";
}

// How a table is drawn: with the box (table) or without any border (compact); the header in bold
// when asked.
struct TableStyle {
    bool borders = true;
    bool bold_header = false;
};

std::string box_lines(const BoxRow& row, const std::vector<std::size_t>& widths, bool header, const TableStyle& style) {
    std::size_t height = 0;
    for (const auto& lines : row) {
        height = std::max(height, lines.size());
    }
    std::string text;
    for (std::size_t line = 0; line < height; ++line) {
        std::string out = style.borders ? "|" : "";
        for (std::size_t column = 0; column < row.size(); ++column) {
            const std::string content = line < row[column].size() ? row[column][line] : "";
            const std::size_t gap = widths[column] - display_width(content);
            const std::size_t left = header ? gap / 2 : 0;
            const std::string shown =
                header && style.bold_header && !content.empty() ? std::string("\033[1m").append(content).append("\033[0m")
                                                                : content;
            out.append(1, ' ').append(left, ' ').append(shown).append(gap - left, ' ').append(style.borders ? " |" : " ");
        }
        if (!style.borders) out.erase(out.find_last_not_of(' ') + 1);  // no trailing blanks without a border
        text += out + "\n";
    }
    return text;
}

std::string render_table(const Table& table, const TableStyle& style) {
    if (table.columns.empty()) {
        return "";
    }
    const BoxRow header = to_box_row(table.columns);
    std::vector<BoxRow> rows;
    rows.reserve(table.rows.size());
    for (const auto& cells : table.rows) {
        rows.push_back(to_box_row(cells));
    }

    std::vector<std::size_t> widths(table.columns.size(), 0);
    auto widen = [&widths](const BoxRow& row) {
        for (std::size_t column = 0; column < row.size(); ++column) {
            for (const auto& line : row[column]) {
                widths[column] = std::max(widths[column], display_width(line));
            }
        }
    };
    widen(header);
    std::for_each(rows.begin(), rows.end(), widen);

    const std::string separator = style.borders ? separator_line(widths) : "";
    std::string text = separator + box_lines(header, widths, true, style) + separator;
    for (const auto& row : rows) {
        text += box_lines(row, widths, false, style) + separator;
    }
    return text;
}

// ---- csv --------------------------------------------------------------------------------------

// RFC 4180 as Go's encoding/csv writes it: a field holding a comma, quote or line break is
// quoted and its quotes doubled; so is one that starts with a blank, so readers keep it.
std::string csv_field(const std::string& field) {
    const bool needs_quotes = field.find_first_of(",\"\r\n") != std::string::npos ||
                              (!field.empty() && (field.front() == ' ' || field.front() == '\t'));
    if (!needs_quotes) {
        return field;
    }
    std::string quoted = "\"";
    for (const char c : field) {
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    return quoted + "\"";
}

std::string csv_line(const std::vector<std::string>& fields) {
    std::string line;
    for (std::size_t index = 0; index < fields.size(); ++index) {
        if (index > 0) line += ',';
        line += csv_field(fields[index]);
    }
    return line + "\n";
}

std::string render_csv(const Table& table) {
    if (table.columns.empty()) {
        return "";
    }
    std::string text;  // rows only, no header line: upstream's csv (Go's encoding/csv of the rows)
    for (const auto& row : table.rows) {
        text += csv_line(row);
    }
    return text;
}

}  // namespace

Format parse_format(std::string_view text) {
    for (const auto& [name, format] : kFormats) {
        if (text == name) {
            return format;
        }
    }
    throw Error("invalid_format",
                "Invalid value for --format: \"" + std::string(text) + "\" (accepted: " + std::string(kAccepted) + ")",
                {{"value", std::string(text)}, {"accepted", {"table", "json", "yaml", "csv", "compact"}}});
}

std::string_view format_name(Format format) {
    for (const auto& [name, candidate] : kFormats) {
        if (candidate == format) {
            return name;
        }
    }
    return "unknown";
}

std::string render(const nlohmann::json& data, const Table& table, Format format, bool bold_header) {
    switch (format) {
        case Format::json:
            return render_json(data);
        case Format::yaml:
            return render_yaml(data);
        case Format::table:
            check_row_sizes(table);
            return render_table(table, TableStyle{true, bold_header});
        case Format::compact:
            check_row_sizes(table);
            return render_table(table, TableStyle{false, bold_header});
        case Format::csv:
            check_row_sizes(table);
            return render_csv(table);
    }
    throw Error("invalid_format", "cannot render output: unknown format value " +
                                      std::to_string(static_cast<int>(format)) + " (accepted: " + std::string(kAccepted) + ")");
}

}  // namespace microcloud::host
