// tests/unit/plugins/lxd/server_summary_test.cpp - reading a real LXD 5.0.2 GET /1.0 answer.
#include "envelope.hpp"
#include "server_summary.hpp"
#include "test_data.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace microcloud::plugins::lxd {
namespace {

using sdk::Json;

Json captured_server_summary() {
    const sdk::HttpResponse response{200, test::read_data("get_1.0.json")};
    return summarize_server(metadata_of(response, "GET /1.0"));
}

TEST(LxdServerSummary, VersionNameAndClustering) {
    const Json s = captured_server_summary();
    EXPECT_EQ(s.at("version"), "5.0.2");
    EXPECT_EQ(s.at("clustered"), false);
    EXPECT_EQ(s.at("server_name"), "vm");
    EXPECT_EQ(s.at("api_version"), "1.0");
    EXPECT_EQ(s.at("auth"), "trusted");
    EXPECT_EQ(s.at("server_config"), Json::object());
}

TEST(LxdServerSummary, ApiExtensions) {
    const Json s = captured_server_summary();
    const auto& extensions = s.at("api_extensions");
    ASSERT_EQ(extensions.size(), 318u);
    EXPECT_NE(std::find(extensions.begin(), extensions.end(), "clustering"), extensions.end());
    EXPECT_NE(std::find(extensions.begin(), extensions.end(), "storage_driver_ceph"), extensions.end());
}

TEST(LxdServerSummary, StorageDriversInLowerCaseSortedByName) {
    const Json drivers = captured_server_summary().at("storage_drivers");
    ASSERT_EQ(drivers.size(), 4u);
    EXPECT_EQ(drivers[0], (Json{{"name", "ceph"}, {"version", "16.2.15"}, {"remote", true}}));
    EXPECT_EQ(drivers[1].at("name"), "cephfs");
    EXPECT_EQ(drivers[2].at("name"), "cephobject");
    EXPECT_EQ(drivers[3], (Json{{"name", "dir"}, {"version", "1"}, {"remote", false}}));
}

TEST(LxdServerSummary, StorageDriversInLowerCaseAreReadToo) {
    const Json metadata{{"environment", {{"storage_supported_drivers",
                                          {{{"name", "zfs"}, {"version", "2.1"}, {"remote", false}}}}}}};
    EXPECT_EQ(summarize_server(metadata).at("storage_drivers")[0].at("name"), "zfs");
}

TEST(LxdServerSummary, EnvironmentFactsWithoutTheCertificate) {
    const Json env = captured_server_summary().at("environment");
    EXPECT_EQ(env.at("driver"), "lxc");
    EXPECT_EQ(env.at("driver_version"), "5.0.2");
    EXPECT_EQ(env.at("kernel"), "Linux");
    EXPECT_EQ(env.at("kernel_architecture"), "x86_64");
    EXPECT_EQ(env.at("firewall"), "nftables");
    EXPECT_EQ(env.at("os_name"), "Debian GNU/Linux");
    EXPECT_EQ(env.at("kernel_features").at("idmapped_mounts"), "true");
    EXPECT_EQ(env.at("lxc_features").at("cgroup2"), "true");
    EXPECT_EQ(env.at("architectures"), Json::array({"x86_64", "i686"}));
    EXPECT_TRUE(env.contains("certificate_fingerprint"));
    EXPECT_FALSE(env.contains("certificate"));
}

TEST(LxdServerSummary, AnswerWithoutEnvironmentGivesNoFacts) {
    const Json s = summarize_server(Json{{"api_extensions", {"a"}}, {"auth", "untrusted"}});
    EXPECT_FALSE(s.contains("version"));
    EXPECT_EQ(s.at("auth"), "untrusted");
    EXPECT_EQ(s.at("storage_drivers"), Json::array());
    EXPECT_EQ(s.at("environment"), Json::object());
}

TEST(LxdEnvelope, ErrorEnvelopeBecomesLxdError) {
    const sdk::HttpResponse response{404, test::read_data("error_not_found.json")};
    try {
        metadata_of(response, "GET /1.0/nope");
        FAIL() << "an error envelope was accepted";
    } catch (const sdk::Error& e) {
        EXPECT_EQ(e.code(), "lxd_error");
        EXPECT_STREQ(e.what(), "LXD answered GET /1.0/nope with 404: not found");
        EXPECT_EQ(e.details().at("status"), 404);
    }
}

TEST(LxdEnvelope, NotJsonOrNoEnvelopeIsABadResponse) {
    for (const char* body : {"<html>", "[1,2]", "{\"metadata\":{}}"}) {
        try {
            metadata_of(sdk::HttpResponse{200, body}, "GET /1.0");
            FAIL() << "accepted " << body;
        } catch (const sdk::Error& e) {
            EXPECT_EQ(e.code(), "bad_response") << body;
        }
    }
}

}  // namespace
}  // namespace microcloud::plugins::lxd
