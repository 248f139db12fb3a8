// tests/unit/plugins/fan/config_test.cpp - the fan plugin accepts no configuration keys.
#include "fan_config.hpp"

#include <gtest/gtest.h>

namespace fan = microcloud::plugins::fan;
using microcloud::sdk::Error;
using microcloud::sdk::Json;

TEST(FanConfig, AcceptsNothingOrAnEmptyObject) {
    EXPECT_NO_THROW(fan::check_fan_config(nullptr));
    EXPECT_NO_THROW(fan::check_fan_config(Json::object()));
}

TEST(FanConfig, RejectsAnyKeyByName) {
    try {
        fan::check_fan_config({{"underlay_subnet", "10.0.0.0/16"}});
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "invalid_config");
        EXPECT_NE(std::string(e.what()).find("\"underlay_subnet\""), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("accepts no keys"), std::string::npos) << e.what();
    }
    EXPECT_THROW(fan::check_fan_config(Json::array()), Error);
}
