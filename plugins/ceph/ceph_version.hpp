// plugins/ceph/ceph_version.hpp - parses "ceph version 16.2.15 (<commit>) pacific (stable)", the
// `--version` output of every Ceph program.
#pragma once

#include <microcloud/sdk/programs.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace microcloud::plugins::ceph {

// Program lookup and version comparison come from the SDK's helpers.
using namespace sdk::programs;

struct CephVersion {
    std::string version;       // "16.2.15" ("Development" for unreleased builds)
    std::string commit;        // git sha1 in parentheses ("" when absent)
    std::string codename;      // "pacific" ("" on releases that do not print it)
    std::string release_type;  // "stable", "dev", "rc" ("" when absent)
};

// Parses the first line containing "ceph version "; nullopt when there is none.
std::optional<CephVersion> parse_ceph_version(std::string_view output);

}  // namespace microcloud::plugins::ceph
