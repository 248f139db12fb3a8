// tests/unit/host/paths_test.cpp - state directory resolution: flag, then environment, then default.
#include "api/paths.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

using namespace microcloud::host;

TEST(Paths, FlagWinsOverEnvironment) {
    ::setenv("MICROCLOUD_STATE_DIR", "/from/env", 1);
    EXPECT_EQ(api::resolve_state_dir("/from/flag"), "/from/flag");
    EXPECT_EQ(api::resolve_state_dir(""), "/from/env");
    ::unsetenv("MICROCLOUD_STATE_DIR");
    EXPECT_EQ(api::resolve_state_dir(""), "/var/lib/microcloud");
}

TEST(Paths, ControlSocketIsInTheStateDir) {
    EXPECT_EQ(api::control_socket("/s"), "/s/control.socket");
}
