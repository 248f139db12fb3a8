// plugins/ovn/tool_version.cpp - `--version` output parser for OVS/OVN programs.
#include "tool_version.hpp"

#include <algorithm>
#include <cctype>

namespace microcloud::plugins::ovn {
namespace {

std::string_view trim(std::string_view s) {
    auto first = s.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

bool starts_with_digit(std::string_view s) {
    return !s.empty() && std::isdigit(static_cast<unsigned char>(s.front()));
}

// The value after "<label> " when `line` starts with it.
std::optional<std::string> labelled(std::string_view line, std::string_view label) {
    if (line.size() <= label.size() || line.substr(0, label.size()) != label || line[label.size()] != ' ')
        return std::nullopt;
    return std::string(trim(line.substr(label.size() + 1)));
}

std::vector<std::string_view> non_empty_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    for (std::size_t start = 0; start < text.size();) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        if (auto line = trim(text.substr(start, end - start)); !line.empty()) lines.push_back(line);
        start = end + 1;
    }
    return lines;
}

}  // namespace

std::optional<ToolVersion> parse_tool_version(std::string_view output) {
    auto lines = non_empty_lines(output);
    if (lines.empty()) return std::nullopt;
    auto first = lines.front();
    auto last_space = first.find_last_of(' ');
    if (last_space == std::string_view::npos) return std::nullopt;
    auto version = first.substr(last_space + 1);
    if (!starts_with_digit(version)) return std::nullopt;

    ToolVersion out;
    out.program = std::string(first.substr(0, first.find(' ')));
    out.version = std::string(version);
    for (auto line : lines) {
        if (auto v = labelled(line, "Open vSwitch Library"))
            out.ovs_library = *v;
        else if (auto v = labelled(line, "SB DB Schema"))
            out.sb_db_schema = *v;
        else if (auto v = labelled(line, "DB Schema"))
            out.db_schema = *v;
    }
    return out;
}

}  // namespace microcloud::plugins::ovn
