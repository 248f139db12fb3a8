// host/common/yaml_json.hpp - reads YAML (config files, preseeds) into JSON values, so the rest
// of the host handles one document type.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace YAML {
class Node;
}

namespace microcloud::host {

// Converts a YAML node: maps, sequences, and plain scalars typed as null, bool, integer, float
// or string (quoted scalars stay strings).
nlohmann::json yaml_to_json(const YAML::Node& node);

// Parses YAML text; throws Error("invalid_yaml") naming `origin`, the line and the problem.
nlohmann::json parse_yaml(const std::string& text, const std::string& origin);

// Reads and parses a YAML file; throws Error("file_unreadable") or Error("invalid_yaml").
nlohmann::json load_yaml_file(const std::filesystem::path& file);

}  // namespace microcloud::host
