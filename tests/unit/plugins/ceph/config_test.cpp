// tests/unit/plugins/ceph/config_test.cpp - the Ceph plugin's configuration: defaults, overrides
// and rejection of unknown keys and bad values.
#include "ceph_config.hpp"

#include <gtest/gtest.h>

namespace ceph = microcloud::plugins::ceph;
using microcloud::sdk::Error;
using microcloud::sdk::Json;

namespace {

std::string error_message(const Json& config) {
    try {
        ceph::parse_ceph_config(config);
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "invalid_config");
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST(CephConfig, Defaults) {
    auto config = ceph::parse_ceph_config(Json::object());
    EXPECT_EQ(config.conf_dir, "/etc/ceph");
    EXPECT_EQ(config.cluster, "ceph");
    EXPECT_EQ(config.data_dir, "/var/lib/ceph");
    EXPECT_EQ(ceph::parse_ceph_config(nullptr).cluster, "ceph");
}

TEST(CephConfig, Overrides) {
    auto config =
        ceph::parse_ceph_config({{"conf_dir", "/lab/m1/etc"}, {"cluster", "lab"}, {"data_dir", "/lab/m1/data"}});
    EXPECT_EQ(config.conf_dir, "/lab/m1/etc");
    EXPECT_EQ(config.cluster, "lab");
    EXPECT_EQ(config.data_dir, "/lab/m1/data");
}

TEST(CephConfig, UnknownKeyIsNamedWithTheAcceptedOnes) {
    auto message = error_message({{"confdir", "/x"}});
    EXPECT_NE(message.find("\"confdir\""), std::string::npos) << message;
    EXPECT_NE(message.find("conf_dir, cluster, data_dir"), std::string::npos) << message;
}

TEST(CephConfig, RejectsBadValues) {
    EXPECT_NE(error_message({{"cluster", ""}}).find("\"cluster\""), std::string::npos);
    EXPECT_NE(error_message({{"cluster", "../x"}}).find("letters, digits"), std::string::npos);
    EXPECT_NE(error_message({{"cluster", 1}}).find("must be a string"), std::string::npos);
    EXPECT_NE(error_message({{"conf_dir", "etc/ceph"}}).find("absolute"), std::string::npos);
    EXPECT_NE(error_message(Json("ceph")).find("must be an object"), std::string::npos);
}
