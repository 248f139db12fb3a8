// plugins/ceph/ceph_conf.hpp - parses ceph.conf, an INI dialect: [sections], "key = value",
// '#'/';' comments (also after a value), "quoted values", trailing '\' continues a line, and
// key names where spaces, '-' and '_' are the same ("mon host" == "mon_host").
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace microcloud::plugins::ceph {

struct CephConf {
    // section name -> normalised key -> value, e.g. sections["global"]["mon_host"].
    std::map<std::string, std::map<std::string, std::string>> sections;
    // "line N: <what was wrong>" for each line that could not be read (the rest still is).
    std::vector<std::string> errors;

    // The value of `key` (any spelling) in `section`, nullopt when absent.
    std::optional<std::string> get(std::string_view section, std::string_view key) const;
};

// Ceph's key spelling: trimmed, runs of spaces/'-'/'_' become one '_' ("mon  host" -> "mon_host").
std::string normalise_key(std::string_view key);

CephConf parse_ceph_conf(std::string_view text);

}  // namespace microcloud::plugins::ceph
