// tests/unit/discovery/announcement_test.cpp - probe/reply encoding, parse errors and the version check.
#include "discovery/announcement.hpp"
#include "common/error.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace discovery = microcloud::host::discovery;
using microcloud::host::Error;
using nlohmann::json;

namespace {

Error parse_error(const std::string& text) {
    try {
        discovery::parse_server_info(text);
    } catch (const Error& error) {
        return error;
    }
    ADD_FAILURE() << "no error for " << text;
    return Error("none", "none");
}

discovery::ServerInfo sample() {
    discovery::ServerInfo info;
    info.name = "m1";
    info.address = "10.174.0.1";
    info.fingerprint = "0123456789ab";
    info.services = {{"MicroCloud", "2.0"}, {"LXD", "5.0.2"}};
    return info;
}

}  // namespace

TEST(DiscoveryAnnouncement, ProbeIsTheVersionOnly) {
    EXPECT_EQ(json::parse(discovery::encode_probe({})), json({{"version", "2.0"}}));
    EXPECT_EQ(discovery::parse_probe(R"({"version":"2.0"})").version, "2.0");
}

TEST(DiscoveryAnnouncement, ServerInfoRoundTrips) {
    const std::string text = discovery::encode_server_info(sample());
    const json doc = json::parse(text);
    EXPECT_EQ(doc["version"], "2.0");
    EXPECT_EQ(doc["name"], "m1");
    EXPECT_EQ(doc["address"], "10.174.0.1");
    EXPECT_EQ(doc["fingerprint"], "0123456789ab");
    EXPECT_EQ(doc["services"]["LXD"], "5.0.2");

    const auto parsed = discovery::parse_server_info(text);
    EXPECT_EQ(parsed.version, "2.0");
    EXPECT_EQ(parsed.name, "m1");
    EXPECT_EQ(parsed.address, "10.174.0.1");
    EXPECT_EQ(parsed.fingerprint, "0123456789ab");
    EXPECT_EQ(parsed.services, sample().services);
}

TEST(DiscoveryAnnouncement, ServicesMayBeAbsent) {
    const auto parsed =
        discovery::parse_server_info(R"({"version":"2.0","name":"a","address":"10.0.0.1","fingerprint":"ff"})");
    EXPECT_TRUE(parsed.services.empty());
}

TEST(DiscoveryAnnouncement, ParseErrorsNameTheField) {
    const Error missing = parse_error(R"({"version":"2.0","address":"x","fingerprint":"y"})");
    EXPECT_EQ(missing.code(), "discovery_invalid_message");
    EXPECT_EQ(missing.details()["field"], "name");
    EXPECT_NE(std::string(missing.what()).find("\"name\" is missing"), std::string::npos) << missing.what();

    const Error wrong_type = parse_error(R"({"version":2,"name":"a","address":"x","fingerprint":"y"})");
    EXPECT_EQ(wrong_type.details()["field"], "version");
    EXPECT_NE(std::string(wrong_type.what()).find("must be a string, got number"), std::string::npos);

    const Error service =
        parse_error(R"({"version":"2.0","name":"a","address":"x","fingerprint":"y","services":{"LXD":5}})");
    EXPECT_EQ(service.details()["field"], "services.LXD");

    const Error services = parse_error(R"({"version":"2.0","name":"a","address":"x","fingerprint":"y","services":[]})");
    EXPECT_EQ(services.details()["field"], "services");
}

TEST(DiscoveryAnnouncement, ParseRejectsNonObjects) {
    EXPECT_NE(std::string(parse_error("not json").what()).find("not valid JSON"), std::string::npos);
    EXPECT_NE(std::string(parse_error("[1]").what()).find("expected a JSON object, got array"), std::string::npos);
    EXPECT_THROW(discovery::parse_probe("{}"), Error);
}

TEST(DiscoveryAnnouncement, MismatchTextIsUpstreams) {
    EXPECT_EQ(discovery::version_mismatch_message("m1", "1.0", "2.0"),
              R"(System "m1" (version "1.0") has a version mismatch: Expected "2.0")");
    EXPECT_EQ(discovery::version_mismatch_message("a\"b", "1", "2"),
              R"(System "a\"b" (version "1") has a version mismatch: Expected "2")");
}

TEST(DiscoveryAnnouncement, CheckVersionThrowsOnMismatchOnly) {
    auto info = sample();
    EXPECT_NO_THROW(discovery::check_version(info));
    info.version = "1.0";
    try {
        discovery::check_version(info);
        FAIL() << "no mismatch reported";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "discovery_version_mismatch");
        EXPECT_STREQ(error.what(), R"(System "m1" (version "1.0") has a version mismatch: Expected "2.0")");
        EXPECT_EQ(error.details()["address"], "10.174.0.1");
    }
}
