// tests/unit/host/yaml_json_test.cpp - YAML documents become the JSON values a reader expects.
#include "common/error.hpp"
#include "common/yaml_json.hpp"

#include <gtest/gtest.h>

using namespace microcloud::host;

TEST(YamlJson, ScalarsAreTyped) {
    auto doc = parse_yaml("a: 1\nb: 2.5\nc: true\nd: ~\ne: text\nf: '7'\ng: \"false\"\nh:\n", "test");
    EXPECT_EQ(doc["a"], 1);
    EXPECT_DOUBLE_EQ(doc["b"].get<double>(), 2.5);
    EXPECT_EQ(doc["c"], true);
    EXPECT_TRUE(doc["d"].is_null());
    EXPECT_EQ(doc["e"], "text");
    EXPECT_EQ(doc["f"], "7");
    EXPECT_EQ(doc["g"], "false");
    EXPECT_TRUE(doc["h"].is_null());
}

TEST(YamlJson, NestedMapsAndLists) {
    auto doc = parse_yaml("systems:\n  - name: m1\n    storage: {local: {path: /dev/sdb, wipe: true}}\n  - name: m2\n", "t");
    ASSERT_TRUE(doc["systems"].is_array());
    EXPECT_EQ(doc["systems"][0]["storage"]["local"]["path"], "/dev/sdb");
    EXPECT_EQ(doc["systems"][0]["storage"]["local"]["wipe"], true);
    EXPECT_EQ(doc["systems"][1]["name"], "m2");
}

TEST(YamlJson, SyntaxErrorNamesOriginAndLine) {
    try {
        parse_yaml("a: 1\nb: [unclosed\n", "preseed.yaml");
        FAIL() << "no exception";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "invalid_yaml");
        EXPECT_NE(std::string(e.what()).find("preseed.yaml"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("line"), std::string::npos);
    }
}

TEST(YamlJson, MissingFileIsUnreadable) {
    try {
        load_yaml_file("/nonexistent/x.yaml");
        FAIL() << "no exception";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "file_unreadable");
    }
}
