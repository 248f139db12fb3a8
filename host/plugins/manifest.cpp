// host/plugins/manifest.cpp - reads and checks manifest.json; every error names file and field.
#include "plugins/manifest.hpp"

#include "common/error.hpp"
#include "plugins/hook_table.hpp"

#include <fstream>
#include <sstream>

namespace microcloud::host::plugins {
namespace {

using nlohmann::json;

class ManifestReader {
public:
    ManifestReader(const std::filesystem::path& file, const json& doc) : file_(file), doc_(doc) {}

    std::string text(const char* field, bool required = true) const {
        if (!doc_.contains(field)) {
            if (required) fail(field, "is missing", "a string");
            return {};
        }
        const json& value = doc_.at(field);
        if (!value.is_string()) fail(field, "is " + std::string(value.type_name()), "a string");
        return value.get<std::string>();
    }

    std::vector<std::string> list(const char* field, bool required = true) const {
        if (!doc_.contains(field)) {
            if (required) fail(field, "is missing", "an array of strings");
            return {};
        }
        const json& value = doc_.at(field);
        std::vector<std::string> out;
        if (!value.is_array()) fail(field, "is " + std::string(value.type_name()), "an array of strings");
        for (const json& item : value) {
            if (!item.is_string()) fail(field, "holds a " + std::string(item.type_name()), "an array of strings");
            out.push_back(item.get<std::string>());
        }
        return out;
    }

    [[noreturn]] void fail(const std::string& field, const std::string& what, const std::string& accepted) const {
        throw Error("manifest_invalid",
                    "Invalid plugin manifest '" + file_.string() + "': field \"" + field + "\" " + what +
                        " (expected " + accepted + ")",
                    json{{"file", file_.string()}, {"field", field}});
    }

private:
    std::filesystem::path file_;
    const json& doc_;
};

bool is_plain_file_name(const std::string& name) {
    return !name.empty() && name.find('/') == std::string::npos && name != "." && name != "..";
}

}  // namespace

json Manifest::to_json() const {
    return json{{"id", id},
                {"name", name},
                {"component", component},
                {"version", version},
                {"abi", abi.str()},
                {"library", library},
                {"hooks", hooks},
                {"after", after},
                {"provides", provides},
                {"config_section", config_section},
                {"supports", supports},
                {"join_concurrency", join_concurrency},
                {"deadlines", deadlines},
                {"memory_limit_mb", memory_limit_mb}};
}

Manifest read_manifest(const std::filesystem::path& dir) {
    const std::filesystem::path file = dir / "manifest.json";
    std::ifstream in(file);
    if (!in)
        throw Error("manifest_missing",
                    "Plugin manifest '" + file.string() + "' not found: every plugin directory needs a manifest.json",
                    json{{"file", file.string()}});
    std::stringstream buffer;
    buffer << in.rdbuf();
    json doc = json::parse(buffer.str(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        throw Error("manifest_invalid", "Invalid plugin manifest '" + file.string() + "': not a JSON object",
                    json{{"file", file.string()}});

    ManifestReader reader(file, doc);
    Manifest m;
    m.dir = dir;
    m.id = reader.text("id");
    m.name = reader.text("name");
    m.component = reader.text("component", false);
    m.version = reader.text("version");
    m.library = reader.text("library");
    m.hooks = reader.list("hooks");
    m.after = reader.list("after", false);
    m.provides = reader.list("provides", false);
    m.config_section = reader.text("config_section", false);

    if (m.id.empty()) reader.fail("id", "is empty", "a reverse-DNS id such as \"org.example.thing\"");
    if (m.name.empty()) reader.fail("name", "is empty", "a short name such as \"lxd\"");
    // The name becomes a directory name (the plugin's own state directory).
    if (!is_plain_file_name(m.name)) reader.fail("name", "is \"" + m.name + "\"", "a plain name such as \"lxd\", no '/'");
    if (!is_plain_file_name(m.library))
        reader.fail("library", "is \"" + m.library + "\"", "a file name beside the manifest");
    auto abi = parse_abi(reader.text("abi"));
    if (!abi)
        reader.fail("abi", "is \"" + doc.at("abi").get<std::string>() + "\"", "\"<major>.<minor>\" such as \"1.0\"");
    m.abi = *abi;
    if (doc.contains("join_concurrency")) {
        const json& value = doc.at("join_concurrency");
        if (!value.is_number_integer() || value.get<std::int64_t>() < 0 || value.get<std::int64_t>() > 1000)
            reader.fail("join_concurrency", "is " + value.dump(), "a whole number from 0 (no limit) to 1000");
        m.join_concurrency = value.get<unsigned>();
    }
    if (doc.contains("deadlines")) {
        const json& value = doc.at("deadlines");
        const std::string accepted = "an object of hook name: seconds from 1 to 86400";
        if (!value.is_object()) reader.fail("deadlines", "is " + std::string(value.type_name()), accepted);
        for (const auto& [hook, seconds] : value.items()) {
            if (!hook_named(hook))
                reader.fail("deadlines", "names hook \"" + hook + "\"",
                            "hooks discover, validate, join, teardown, issue_token, configure or status");
            if (!seconds.is_number_integer() || seconds.get<std::int64_t>() < 1 || seconds.get<std::int64_t>() > 86400)
                reader.fail("deadlines", "gives " + hook + " " + seconds.dump(), accepted);
            m.deadlines[hook] = seconds.get<unsigned>();
        }
    }
    if (doc.contains("memory_limit_mb")) {
        const json& value = doc.at("memory_limit_mb");
        if (!value.is_number_integer() || value.get<std::int64_t>() < 16 || value.get<std::int64_t>() > 1048576)
            reader.fail("memory_limit_mb", "is " + value.dump(), "a whole number of MiB from 16 to 1048576");
        m.memory_limit_mb = value.get<std::uint64_t>();
    }
    if (doc.contains("supports")) {
        if (!doc.at("supports").is_object())
            reader.fail("supports", "is not an object", "an object of component: version range");
        m.supports = doc.at("supports");
    }
    return m;
}

}  // namespace microcloud::host::plugins
