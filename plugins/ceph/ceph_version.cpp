// plugins/ceph/ceph_version.cpp - Ceph `--version` parser.
#include "ceph_version.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace microcloud::plugins::ceph {
namespace {

constexpr std::string_view kMarker = "ceph version ";

// "(text)" at the start of `rest` (after spaces): the text, and `rest` moved past it.
std::optional<std::string> take_parenthesised(std::string_view& rest) {
    auto start = rest.find_first_not_of(' ');
    if (start == std::string_view::npos || rest[start] != '(') return std::nullopt;
    auto end = rest.find(')', start);
    if (end == std::string_view::npos) return std::nullopt;
    std::string inside(rest.substr(start + 1, end - start - 1));
    rest.remove_prefix(end + 1);
    return inside;
}

// The next space-separated word of `rest`, and `rest` moved past it.
std::string take_word(std::string_view& rest) {
    auto start = rest.find_first_not_of(' ');
    if (start == std::string_view::npos) {
        rest = {};
        return {};
    }
    auto end = rest.find(' ', start);
    if (end == std::string_view::npos) end = rest.size();
    std::string word(rest.substr(start, end - start));
    rest.remove_prefix(end);
    return word;
}

}  // namespace

std::optional<CephVersion> parse_ceph_version(std::string_view output) {
    std::istringstream lines{std::string(output)};
    for (std::string line; std::getline(lines, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        auto at = line.find(kMarker);
        if (at == std::string::npos) continue;
        std::string_view rest(line);
        rest.remove_prefix(at + kMarker.size());
        CephVersion out;
        out.version = take_word(rest);
        if (out.version.empty()) return std::nullopt;
        out.commit = take_parenthesised(rest).value_or("");
        auto after_commit = rest;
        out.codename = take_word(rest);
        if (!out.codename.empty() && out.codename.front() == '(') {  // "(stable)" without a codename
            rest = after_commit;
            out.codename.clear();
        }
        out.release_type = take_parenthesised(rest).value_or("");
        return out;
    }
    return std::nullopt;
}

}  // namespace microcloud::plugins::ceph
