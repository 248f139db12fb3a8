// plugins/ceph/ceph_conf.cpp - the ceph.conf (INI) parser.
#include "ceph_conf.hpp"

#include <sstream>

namespace microcloud::plugins::ceph {
namespace {

std::string_view trim(std::string_view s) {
    auto first = s.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

bool is_comment_start(char c) {
    return c == '#' || c == ';';
}

// The value part of "key = value": unquoted, without a trailing comment. nullopt when a quote
// is not closed or text follows the closing quote.
std::optional<std::string> read_value(std::string_view raw) {
    raw = trim(raw);
    if (!raw.empty() && raw.front() == '"') {
        std::string value;
        for (std::size_t i = 1; i < raw.size(); ++i) {
            if (raw[i] == '\\' && i + 1 < raw.size()) {
                value += raw[++i];
            } else if (raw[i] == '"') {
                auto rest = trim(raw.substr(i + 1));
                if (!rest.empty() && !is_comment_start(rest.front())) return std::nullopt;
                return value;
            } else {
                value += raw[i];
            }
        }
        return std::nullopt;
    }
    auto comment = raw.find_first_of("#;");
    return std::string(trim(raw.substr(0, comment)));
}

// Joins physical lines ending in '\' into logical lines; each keeps its first line number.
std::vector<std::pair<int, std::string>> logical_lines(std::string_view text) {
    std::vector<std::pair<int, std::string>> out;
    std::istringstream in{std::string(text)};
    std::string line, pending;
    int number = 0, pending_start = 0;
    while (std::getline(in, line)) {
        ++number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (pending.empty()) pending_start = number;
        if (!line.empty() && line.back() == '\\') {
            line.pop_back();
            pending += line;
            continue;
        }
        out.emplace_back(pending_start, pending + line);
        pending.clear();
    }
    if (!pending.empty()) out.emplace_back(pending_start, pending);
    return out;
}

}  // namespace

std::string normalise_key(std::string_view key) {
    key = trim(key);
    std::string out;
    bool separator = false;
    for (char c : key) {
        if (c == ' ' || c == '\t' || c == '-' || c == '_') {
            separator = true;
            continue;
        }
        if (separator && !out.empty()) out += '_';
        separator = false;
        out += c;
    }
    return out;
}

std::optional<std::string> CephConf::get(std::string_view section, std::string_view key) const {
    auto s = sections.find(std::string(section));
    if (s == sections.end()) return std::nullopt;
    auto v = s->second.find(normalise_key(key));
    if (v == s->second.end()) return std::nullopt;
    return v->second;
}

CephConf parse_ceph_conf(std::string_view text) {
    CephConf conf;
    std::string section;
    bool in_section = false;
    for (const auto& [number, raw] : logical_lines(text)) {
        auto line = trim(raw);
        auto where = "line " + std::to_string(number) + ": ";
        if (line.empty() || is_comment_start(line.front())) continue;
        if (line.front() == '[') {
            auto close = line.find(']');
            auto rest = close == std::string_view::npos ? std::string_view{} : trim(line.substr(close + 1));
            auto name = close == std::string_view::npos ? std::string_view{} : trim(line.substr(1, close - 1));
            if (name.empty() || (!rest.empty() && !is_comment_start(rest.front()))) {
                conf.errors.push_back(where + "malformed section header \"" + std::string(line) + "\"");
                continue;
            }
            section = std::string(name);
            in_section = true;
            conf.sections[section];  // an empty section still exists
            continue;
        }
        auto equals = line.find('=');
        if (equals == std::string_view::npos || normalise_key(line.substr(0, equals)).empty()) {
            conf.errors.push_back(where + "expected \"key = value\", got \"" + std::string(line) + "\"");
            continue;
        }
        if (!in_section) {
            conf.errors.push_back(where + "\"" + std::string(line) + "\" is outside any [section]");
            continue;
        }
        auto value = read_value(line.substr(equals + 1));
        if (!value) {
            conf.errors.push_back(where + "badly quoted value in \"" + std::string(line) + "\"");
            continue;
        }
        conf.sections[section][normalise_key(line.substr(0, equals))] = *value;
    }
    return conf;
}

}  // namespace microcloud::plugins::ceph
