// host/common/yaml_json.cpp - YAML to JSON conversion on top of yaml-cpp.
#include "common/yaml_json.hpp"

#include "common/error.hpp"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <fstream>
#include <sstream>

namespace microcloud::host {
namespace {

nlohmann::json plain_scalar(const std::string& text) {
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") return nullptr;
    if (text == "true" || text == "True" || text == "TRUE") return true;
    if (text == "false" || text == "False" || text == "FALSE") return false;
    long long integer = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), integer);
    if (ec == std::errc() && end == text.data() + text.size()) return integer;
    double real = 0;
    auto [end2, ec2] = std::from_chars(text.data(), text.data() + text.size(), real);
    if (ec2 == std::errc() && end2 == text.data() + text.size()) return real;
    return text;
}

}  // namespace

nlohmann::json yaml_to_json(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Undefined:
        case YAML::NodeType::Null: return nullptr;
        case YAML::NodeType::Scalar:
            // yaml-cpp tags quoted scalars "!"; those are always strings.
            if (node.Tag() == "!") return node.Scalar();
            return plain_scalar(node.Scalar());
        case YAML::NodeType::Sequence: {
            nlohmann::json out = nlohmann::json::array();
            for (const YAML::Node& item : node) out.push_back(yaml_to_json(item));
            return out;
        }
        case YAML::NodeType::Map: {
            nlohmann::json out = nlohmann::json::object();
            for (const auto& kv : node) out[kv.first.as<std::string>()] = yaml_to_json(kv.second);
            return out;
        }
    }
    return nullptr;
}

nlohmann::json parse_yaml(const std::string& text, const std::string& origin) {
    try {
        return yaml_to_json(YAML::Load(text));
    } catch (const YAML::Exception& e) {
        throw Error("invalid_yaml",
                    "Invalid YAML in " + origin + " at line " + std::to_string(e.mark.line + 1) + ": " + e.msg,
                    nlohmann::json{{"origin", origin}, {"line", e.mark.line + 1}});
    }
}

nlohmann::json load_yaml_file(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw Error("file_unreadable", "Cannot read " + file.string(), nlohmann::json{{"file", file.string()}});
    std::stringstream buffer;
    buffer << in.rdbuf();
    return parse_yaml(buffer.str(), file.string());
}

}  // namespace microcloud::host
