// tests/plugin/manifest_test.cpp - read_manifest on good and broken manifest.json files: every
// error has code manifest_missing or manifest_invalid and names the file and the field.
#include "fixture_cases.hpp"

#include "common/error.hpp"
#include "plugins/manifest.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <unistd.h>

namespace microcloud::test {
namespace {

namespace fs = std::filesystem;
using host::plugins::AbiVersion;
using host::plugins::Manifest;
using host::plugins::read_manifest;
using nlohmann::json;

// A fresh directory under the system temp dir, removed with everything in it at scope end.
class TempDir {
public:
    TempDir() {
        const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
        path_ = fs::temp_directory_path() /
                ("mc-manifest-" + std::to_string(::getpid()) + "-" + test->test_suite_name() + "-" + test->name());
        fs::remove_all(path_);
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

json valid_manifest() {
    return {{"id", "org.example.thing"},
            {"name", "thing"},
            {"component", "Thing"},
            {"version", "0.3.1"},
            {"abi", "1.0"},
            {"library", "thing.so"},
            {"hooks", {"discover", "validate", "join", "teardown", "status"}},
            {"after", {"lxd"}},
            {"provides", {"network-provider"}},
            {"config_section", "thing"},
            {"supports", {{"thing", ">=2.0"}}},
            {"join_concurrency", 2},
            {"deadlines", {{"join", 600}, {"status", 5}}},
            {"memory_limit_mb", 512}};
}

class ReadManifest : public ::testing::Test {
protected:
    void write_text(const std::string& text) const { std::ofstream(file()) << text; }
    void write(const json& doc) const { write_text(doc.dump(2)); }
    fs::path file() const { return dir.path() / "manifest.json"; }

    // read_manifest's error for the current directory; fails the test when it reads fine.
    host::Error error() const {
        try {
            read_manifest(dir.path());
        } catch (const host::Error& e) {
            return e;
        }
        ADD_FAILURE() << "read_manifest accepted " << file();
        return host::Error("none", "");
    }

    // True when the message names `field` in quotes, as errors name JSON fields.
    static ::testing::AssertionResult names_field(const std::string& message, const std::string& field) {
        for (const std::string& quoted : {"\"" + field + "\"", "'" + field + "'", "`" + field + "`"})
            if (message.find(quoted) != std::string::npos) return ::testing::AssertionSuccess();
        return ::testing::AssertionFailure() << "\"" << message << "\"\n  does not name the field " << field;
    }

    TempDir dir;
};

TEST_F(ReadManifest, ReadsEveryField) {
    write(valid_manifest());
    Manifest m = read_manifest(dir.path());
    EXPECT_EQ(m.id, "org.example.thing");
    EXPECT_EQ(m.name, "thing");
    EXPECT_EQ(m.component, "Thing");
    EXPECT_EQ(m.version, "0.3.1");
    EXPECT_EQ(m.abi, (AbiVersion{1, 0}));
    EXPECT_EQ(m.library, "thing.so");
    EXPECT_EQ(m.hooks, (std::vector<std::string>{"discover", "validate", "join", "teardown", "status"}));
    EXPECT_EQ(m.after, std::vector<std::string>{"lxd"});
    EXPECT_EQ(m.provides, std::vector<std::string>{"network-provider"});
    EXPECT_EQ(m.config_section, "thing");
    EXPECT_EQ(m.supports, json({{"thing", ">=2.0"}}));
    EXPECT_EQ(m.join_concurrency, 2u);
    EXPECT_EQ(m.deadlines, (std::map<std::string, unsigned>{{"join", 600}, {"status", 5}}));
    EXPECT_EQ(m.memory_limit_mb, 512u);
    EXPECT_EQ(m.dir, dir.path());
    EXPECT_EQ(m.library_path(), dir.path() / "thing.so");
}

TEST_F(ReadManifest, OptionalFieldsDefaultToEmpty) {
    json doc = valid_manifest();
    for (const char* optional : {"component", "after", "provides", "config_section", "supports", "join_concurrency",
                                 "deadlines", "memory_limit_mb"})
        doc.erase(optional);
    write(doc);
    Manifest m = read_manifest(dir.path());
    EXPECT_TRUE(m.after.empty());
    EXPECT_TRUE(m.provides.empty());
    EXPECT_EQ(m.config_section, "");
    EXPECT_TRUE(m.supports.empty());
    EXPECT_EQ(m.join_concurrency, 0u);
    EXPECT_TRUE(m.deadlines.empty());
    EXPECT_EQ(m.memory_limit_mb, 0u);
}

TEST_F(ReadManifest, RoundTripsThroughJson) {
    write(valid_manifest());
    EXPECT_EQ(read_manifest(dir.path()).to_json(), valid_manifest());
}

TEST_F(ReadManifest, MissingFileIsManifestMissing) {
    host::Error e = error();
    EXPECT_EQ(e.code(), "manifest_missing");
    EXPECT_TRUE(mentions(e.what(), file().string()));
}

TEST_F(ReadManifest, TextThatIsNotJsonIsInvalid) {
    write_text("{ \"id\": \"org.example.thing\", ");
    host::Error e = error();
    EXPECT_EQ(e.code(), "manifest_invalid");
    EXPECT_TRUE(mentions(e.what(), file().string()));
}

TEST_F(ReadManifest, JsonThatIsNotAnObjectIsInvalid) {
    write(json::array({"id", "name"}));
    host::Error e = error();
    EXPECT_EQ(e.code(), "manifest_invalid");
    EXPECT_TRUE(mentions(e.what(), file().string()));
}

TEST_F(ReadManifest, EachRequiredFieldIsNamedWhenMissing) {
    for (const char* field : {"id", "name", "version", "abi", "library"}) {
        json doc = valid_manifest();
        doc.erase(field);
        write(doc);
        host::Error e = error();
        EXPECT_EQ(e.code(), "manifest_invalid") << field;
        EXPECT_TRUE(names_field(e.what(), field));
        EXPECT_TRUE(mentions(e.what(), file().string())) << field;
    }
}

TEST_F(ReadManifest, FieldOfTheWrongTypeIsNamed) {
    for (const auto& [field, value] : {std::pair<const char*, json>{"id", 42},
                                       {"name", json::array()},
                                       {"hooks", "discover"},
                                       {"after", {1, 2}},
                                       {"abi", 1.0},
                                       {"join_concurrency", -1},
                                       {"join_concurrency", "one"},
                                       {"deadlines", 30},
                                       {"deadlines", {{"join", 0}}},
                                       {"deadlines", {{"joining", 30}}},
                                       {"memory_limit_mb", 1},
                                       {"memory_limit_mb", "lots"}}) {
        json doc = valid_manifest();
        doc[field] = value;
        write(doc);
        host::Error e = error();
        EXPECT_EQ(e.code(), "manifest_invalid") << field;
        EXPECT_TRUE(names_field(e.what(), field));
    }
}

TEST_F(ReadManifest, UnparsableAbiIsNamedWithWhatWouldBeAccepted) {
    json doc = valid_manifest();
    doc["abi"] = "one";
    write(doc);
    host::Error e = error();
    EXPECT_EQ(e.code(), "manifest_invalid");
    EXPECT_TRUE(names_field(e.what(), "abi"));
    EXPECT_TRUE(mentions(e.what(), "one"));
    EXPECT_TRUE(mentions(e.what(), "1.0"));
}

TEST_F(ReadManifest, LibraryOutsideThePluginDirectoryIsRefused) {
    for (const char* library : {"../evil.so", "/usr/lib/evil.so", "sub/dir.so", ""}) {
        json doc = valid_manifest();
        doc["library"] = library;
        write(doc);
        host::Error e = error();
        EXPECT_EQ(e.code(), "manifest_invalid") << library;
        EXPECT_TRUE(names_field(e.what(), "library")) << library;
    }
}

// The name is the plugin's state directory's name: a path is refused.
TEST_F(ReadManifest, NameThatIsAPathIsRefused) {
    for (const char* name : {"/etc", "..", "a/b"}) {
        json doc = valid_manifest();
        doc["name"] = name;
        write(doc);
        host::Error e = error();
        EXPECT_EQ(e.code(), "manifest_invalid") << name;
        EXPECT_TRUE(names_field(e.what(), "name")) << name;
    }
}

// The manifests the fixtures ship are read like any other (the broken ones are tested above).
TEST(FixtureManifests, GoodFixtureManifestReads) {
    Manifest m = read_manifest(fixture_dir("good", "good_plugin"));
    EXPECT_EQ(m.id, "org.microcloud.test.good");
    EXPECT_EQ(m.name, "good");
    EXPECT_EQ(m.abi, (AbiVersion{1, 0}));
    EXPECT_EQ(m.library_path(), fixture_dir("good", "good_plugin") / "good_plugin.so");
    EXPECT_TRUE(fs::is_regular_file(m.library_path()));
}

}  // namespace
}  // namespace microcloud::test
