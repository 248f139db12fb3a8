// tests/unit/plugins/ovn/config_test.cpp - the OVN plugin's configuration: defaults, environment,
// and rejection of unknown keys and bad values.
#include "ovn_config.hpp"

#include <gtest/gtest.h>

#include <map>

namespace ovn = microcloud::plugins::ovn;
using microcloud::sdk::Error;
using microcloud::sdk::Json;

namespace {

ovn::EnvLookup env_of(std::map<std::string, std::string> vars) {
    return [vars](const char* name) -> std::optional<std::string> {
        auto it = vars.find(name);
        if (it == vars.end()) return std::nullopt;
        return it->second;
    };
}

std::string error_message(const Json& config) {
    try {
        ovn::parse_ovn_config(config, env_of({}));
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "invalid_config");
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST(OvnConfig, DefaultsToProductionDirectories) {
    auto config = ovn::parse_ovn_config(Json::object(), env_of({}));
    EXPECT_EQ(config.ovs_rundir, "/run/openvswitch");
    EXPECT_EQ(config.ovn_rundir, "/run/ovn");
    EXPECT_EQ(ovn::parse_ovn_config(nullptr, env_of({})).ovs_rundir, "/run/openvswitch");
}

TEST(OvnConfig, EnvironmentOverridesDefaults) {
    auto config =
        ovn::parse_ovn_config(Json::object(), env_of({{"OVS_RUNDIR", "/tmp/m1/ovs"}, {"OVN_RUNDIR", "/tmp/m1/ovn"}}));
    EXPECT_EQ(config.ovs_rundir, "/tmp/m1/ovs");
    EXPECT_EQ(config.ovn_rundir, "/tmp/m1/ovn");
}

TEST(OvnConfig, ConfigOverridesEnvironment) {
    auto config = ovn::parse_ovn_config({{"ovs_rundir", "/lab/m2/ovs"}}, env_of({{"OVS_RUNDIR", "/tmp/x"}}));
    EXPECT_EQ(config.ovs_rundir, "/lab/m2/ovs");
    EXPECT_EQ(config.ovn_rundir, "/run/ovn");
}

TEST(OvnConfig, UnknownKeyIsNamedWithTheAcceptedOnes) {
    auto message = error_message({{"ovs_run_dir", "/x"}});
    EXPECT_NE(message.find("\"ovs_run_dir\""), std::string::npos) << message;
    EXPECT_NE(message.find("ovs_rundir, ovn_rundir"), std::string::npos) << message;
}

TEST(OvnConfig, RejectsBadValues) {
    EXPECT_NE(error_message({{"ovs_rundir", 3}}).find("must be a string"), std::string::npos);
    EXPECT_NE(error_message({{"ovn_rundir", "run/ovn"}}).find("absolute"), std::string::npos);
    EXPECT_NE(error_message(Json::array()).find("must be an object"), std::string::npos);
}
