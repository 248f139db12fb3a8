// tests/unit/format/render_json_yaml_test.cpp - json and yaml rendering of nested data, faithfully.
#include "common/format.hpp"
#include "common/yaml_json.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cmath>

namespace microcloud::host {
namespace {

using nlohmann::json;

const json kMember = json::parse(R"({
  "name": "micro01",
  "roles": ["voter", "database"],
  "config": {"replicas": 3, "ratio": 0.5, "enabled": true, "note": null, "version": "1.0",
             "answer": "yes", "empty_map": {}, "empty_list": []},
  "disks": [{"path": "/dev/sdb", "size": 100}, {"path": "/dev/sdc", "size": 200}]
})");

// Reads YAML back into JSON the way a typed reader would: quoted scalars are strings, plain
// scalars are null, bools or numbers when they look like one.
json typed_reading(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Map: {
            json object = json::object();
            for (const auto& entry : node) {
                object[entry.first.as<std::string>()] = typed_reading(entry.second);
            }
            return object;
        }
        case YAML::NodeType::Sequence: {
            json array = json::array();
            for (const auto& item : node) {
                array.push_back(typed_reading(item));
            }
            return array;
        }
        case YAML::NodeType::Null:
            return nullptr;
        default:
            break;
    }
    const std::string text = node.Scalar();
    if (node.Tag() == "!") {
        return text;
    }
    if (text == "null" || text == "~") return nullptr;
    if (text == "true") return true;
    if (text == "false") return false;
    const json number = json::parse(text, nullptr, false);
    return number.is_number() ? number : json(text);
}

TEST(RenderJson, IsPrettyWithTwoSpaces) {
    const json data = {{"name", "micro01"}, {"ids", {1, 2}}};
    EXPECT_EQ(render(data, {}, Format::json), "{\n  \"ids\": [\n    1,\n    2\n  ],\n  \"name\": \"micro01\"\n}\n");
}

TEST(RenderJson, KeepsUtf8AndReplacesInvalidBytes) {
    EXPECT_EQ(render(json("héllo"), {}, Format::json), "\"héllo\"\n");
    EXPECT_EQ(render(json(std::string("a\xff")), {}, Format::json), "\"a\xef\xbf\xbd\"\n");
}

TEST(RenderJson, RoundTripsNestedData) {
    EXPECT_EQ(json::parse(render(kMember, {}, Format::json)), kMember);
}

TEST(RenderYaml, RendersNestedDataInBlockStyle) {
    EXPECT_EQ(render(kMember, {}, Format::yaml),
              "config:\n"
              "  answer: \"yes\"\n"
              "  empty_list: []\n"
              "  empty_map: {}\n"
              "  enabled: true\n"
              "  note: null\n"
              "  ratio: 0.5\n"
              "  replicas: 3\n"
              "  version: \"1.0\"\n"
              "disks:\n"
              "  - path: /dev/sdb\n"
              "    size: 100\n"
              "  - path: /dev/sdc\n"
              "    size: 200\n"
              "name: micro01\n"
              "roles:\n"
              "  - voter\n"
              "  - database\n");
}

TEST(RenderYaml, RoundTripsNestedData) {
    EXPECT_EQ(typed_reading(YAML::Load(render(kMember, {}, Format::yaml))), kMember);
}

TEST(RenderYaml, ReadsBackThroughTheHostsOwnYamlReader) {
    EXPECT_EQ(parse_yaml(render(kMember, {}, Format::yaml), "rendered output"), kMember);
}

TEST(RenderYaml, QuotesStringsThatWouldReadAsAnotherType) {
    const json strings = {"true", "False", "no",   "ON",   "null",  "~",    "",     "42",         "-7", "3.14",
                          "1e5",  "0x1F",  "0o17", ".inf", "-.Inf", ".NaN", "1:30", "2024-01-02", "<<", "="};
    for (const auto& text : strings) {
        const std::string rendered = render(text, {}, Format::yaml);
        EXPECT_EQ(rendered.front(), '"') << rendered;
        EXPECT_EQ(YAML::Load(rendered).as<std::string>(), text.get<std::string>());
    }
}

TEST(RenderYaml, LeavesOrdinaryStringsPlain) {
    EXPECT_EQ(render("micro01", {}, Format::yaml), "micro01\n");
    EXPECT_EQ(render("10.0.0.1/24", {}, Format::yaml), "10.0.0.1/24\n");
    EXPECT_EQ(render("v1.0", {}, Format::yaml), "v1.0\n");
    EXPECT_EQ(render("héllo", {}, Format::yaml), "héllo\n");
}

TEST(RenderYaml, RoundTripsAwkwardStrings) {
    const json data = {{"colon", "a: b"},  {"dash", "- x"},         {"hash", "#x"},  {"multi", "line1\nline2\n"},
                       {"blank", " lead"}, {"quote", "say \"hi\""}, {"tab", "a\tb"}, {"key: odd", "v"},
                       {"true", "key"},    {"brace", "{}"}};
    EXPECT_EQ(typed_reading(YAML::Load(render(data, {}, Format::yaml))), data);
}

TEST(RenderYaml, RendersScalarsAndNumbers) {
    EXPECT_EQ(render(nullptr, {}, Format::yaml), "null\n");
    EXPECT_EQ(render(false, {}, Format::yaml), "false\n");
    EXPECT_EQ(render(-12, {}, Format::yaml), "-12\n");
    EXPECT_EQ(render(18446744073709551615ULL, {}, Format::yaml), "18446744073709551615\n");
    EXPECT_EQ(render(1.0, {}, Format::yaml), "1.0\n");
    EXPECT_EQ(render(json::array(), {}, Format::yaml), "[]\n");
    EXPECT_EQ(render(json::object(), {}, Format::yaml), "{}\n");
}

TEST(RenderYaml, NestsArraysInArrays) {
    const json data = {{"matrix", {{1, 2}, json::array(), {{{"k", "v"}}}}}};
    EXPECT_EQ(typed_reading(YAML::Load(render(data, {}, Format::yaml))), data);
}

}  // namespace
}  // namespace microcloud::host
