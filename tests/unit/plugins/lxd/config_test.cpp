// tests/unit/plugins/lxd/config_test.cpp - the lxd plugin accepts only its known configuration keys.
#include "config.hpp"

#include <gtest/gtest.h>

namespace microcloud::plugins::lxd {
namespace {

using sdk::Json;

std::string error_code_of(const Json& section) {
    try {
        parse_config(section);
    } catch (const sdk::Error& e) {
        return e.code();
    }
    return "no error";
}

TEST(LxdConfig, NothingSetMeansAutomaticSocket) {
    EXPECT_FALSE(parse_config(Json()).socket);
    EXPECT_FALSE(parse_config(Json::object()).socket);
    EXPECT_FALSE(parse_config(Json{{"socket", nullptr}}).socket);
}

TEST(LxdConfig, ReadsTheSocket) {
    EXPECT_EQ(parse_config(Json{{"socket", "/tmp/lxd/unix.socket"}}).socket, "/tmp/lxd/unix.socket");
}

TEST(LxdConfig, UnknownKeyIsNamedWithTheAcceptedOnes) {
    try {
        parse_config(Json{{"sockett", "/x"}});
        FAIL() << "an unknown key was accepted";
    } catch (const sdk::Error& e) {
        EXPECT_EQ(e.code(), "invalid_config");
        EXPECT_NE(std::string(e.what()).find("\"sockett\""), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("accepted keys: socket"), std::string::npos) << e.what();
        EXPECT_EQ(e.details().at("key"), "sockett");
        EXPECT_EQ(e.details().at("accepted"), Json::array({"socket"}));
    }
}

TEST(LxdConfig, RejectsABadSocketValue) {
    EXPECT_EQ(error_code_of(Json{{"socket", 5}}), "invalid_config");
    EXPECT_EQ(error_code_of(Json{{"socket", ""}}), "invalid_config");
    EXPECT_EQ(error_code_of(Json{{"socket", "relative/unix.socket"}}), "invalid_config");
}

TEST(LxdConfig, RejectsASectionThatIsNotAnObject) {
    EXPECT_EQ(error_code_of(Json::array()), "invalid_config");
    EXPECT_EQ(error_code_of(Json("socket")), "invalid_config");
}

}  // namespace
}  // namespace microcloud::plugins::lxd
