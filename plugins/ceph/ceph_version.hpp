// plugins/ceph/ceph_version.hpp - parses "ceph version 16.2.15 (<commit>) pacific (stable)", the
// `--version` output of every Ceph program, and compares dotted versions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace microcloud::plugins::ceph {

struct CephVersion {
    std::string version;       // "16.2.15" ("Development" for unreleased builds)
    std::string commit;        // git sha1 in parentheses ("" when absent)
    std::string codename;      // "pacific" ("" on releases that do not print it)
    std::string release_type;  // "stable", "dev", "rc" ("" when absent)
};

// Parses the first line containing "ceph version "; nullopt when there is none.
std::optional<CephVersion> parse_ceph_version(std::string_view output);

// Leading numeric components: "16.2.15" -> {16, 2, 15}; empty when not starting with a digit.
std::vector<int> version_numbers(std::string_view version);

// Whether `version` >= `minimum`, missing components counting as 0; nullopt when either is
// not numeric.
std::optional<bool> version_at_least(std::string_view version, std::string_view minimum);

}  // namespace microcloud::plugins::ceph
