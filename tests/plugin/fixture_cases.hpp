// tests/plugin/fixture_cases.hpp - where the plugin fixtures were built, and small lookups into a
// registry's records that keep the loader tests readable.
#pragma once

#include "plugins/plugin_record.hpp"
#include "plugins/registry.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace microcloud::test {

// <fixtures>/<case>: one scan directory holding the plugin directories of one load path.
inline std::filesystem::path fixture_case(std::string_view case_name) {
    return std::filesystem::path(MICROCLOUD_PLUGIN_FIXTURES) / case_name;
}

// <fixtures>/<case>/<dir>: one plugin directory (manifest.json beside the library).
inline std::filesystem::path fixture_dir(std::string_view case_name, std::string_view dir) {
    return fixture_case(case_name) / dir;
}

// Options scanning `dirs` in order (built field by field: GCC warns on partial designated inits).
inline host::plugins::ScanOptions scan_options(std::vector<std::filesystem::path> dirs,
                                               std::set<std::string> disabled = {}) {
    host::plugins::ScanOptions options;
    options.dirs = std::move(dirs);
    options.disabled = std::move(disabled);
    return options;
}

// The record made for plugin directory `dir` (its path is the directory or a file in it), or null.
inline const host::plugins::PluginRecord* record_of(const host::plugins::Registry& registry,
                                                    const std::filesystem::path& dir) {
    for (const auto& record : registry.records())
        if (record.path == dir || record.path.parent_path() == dir) return &record;
    return nullptr;
}

// Every record as "name: state: reason" lines, for assertion messages.
inline std::string describe(const host::plugins::Registry& registry) {
    std::string out;
    for (const auto& record : registry.records())
        out += record.name + ": " + host::plugins::to_string(record.state) + ": " + record.reason + "\n";
    return out;
}

// True when `text` contains `part`, ignoring ASCII case (for words that may start a sentence).
inline bool contains_ci(std::string_view text, std::string_view part) {
    auto lower = [](std::string_view s) {
        std::string out(s);
        std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
        return out;
    };
    return lower(text).find(lower(part)) != std::string::npos;
}

// Passes when `text` contains `part`; the failure message shows both.
inline ::testing::AssertionResult mentions(std::string_view text, std::string_view part) {
    if (text.find(part) != std::string_view::npos) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "\"" << text << "\"\n  does not mention \"" << part << "\"";
}

// Like mentions(), ignoring ASCII case.
inline ::testing::AssertionResult mentions_ci(std::string_view text, std::string_view part) {
    if (contains_ci(text, part)) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "\"" << text << "\"\n  does not mention \"" << part
                                         << "\" (any case)";
}

// The items in ascending order, so lists compare regardless of the order they were built in.
inline std::vector<std::string> sorted(std::vector<std::string> items) {
    std::sort(items.begin(), items.end());
    return items;
}

}  // namespace microcloud::test
