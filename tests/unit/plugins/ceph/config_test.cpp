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

TEST(CephConfig, DaemonSettings) {
    auto config = ceph::parse_ceph_config(
        {{"run_dir", "/lab/m1/run"}, {"log_dir", "/lab/m1/log"}, {"service_manager", "direct"}, {"mon_data_avail_warn", 5}});
    EXPECT_EQ(config.run_dir, "/lab/m1/run");
    EXPECT_EQ(config.log_dir, "/lab/m1/log");
    EXPECT_EQ(config.service_manager, ceph::ServiceManager::direct);
    EXPECT_EQ(config.mon_data_avail_warn, 5);
    const auto defaults = ceph::parse_ceph_config(Json::object());
    EXPECT_EQ(defaults.run_dir, "/var/run/ceph");
    EXPECT_EQ(defaults.service_manager, ceph::ServiceManager::automatic);
    EXPECT_FALSE(defaults.mon_data_avail_warn.has_value());
    EXPECT_EQ(ceph::to_string(ceph::parse_ceph_config({{"service_manager", "systemd"}}).service_manager), "systemd");
}

TEST(CephConfig, BadDaemonSettingsNameTheKeyAndWhatIsAccepted) {
    EXPECT_NE(error_message({{"service_manager", "runit"}}).find("\"auto\", \"systemd\" or \"direct\", got \"runit\""),
              std::string::npos);
    EXPECT_NE(error_message({{"mon_data_avail_warn", 0}}).find("from 1 to 100, got 0"), std::string::npos);
    EXPECT_NE(error_message({{"mon_data_avail_warn", "5"}}).find("mon_data_avail_warn"), std::string::npos);
    EXPECT_NE(error_message({{"run_dir", "relative"}}).find("absolute"), std::string::npos);
}
