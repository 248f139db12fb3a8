// tests/unit/host/daemon_config_test.cpp - the daemon's config file: accepted keys, errors naming
// the key, and a missing default file being fine.
#include "common/error.hpp"
#include "daemon/daemon_config.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>

using namespace microcloud::host;
using microcloud::testing::TempDir;

namespace {
std::filesystem::path write(const TempDir& dir, const std::string& text) {
    auto file = dir.path() / "microcloudd.yaml";
    std::ofstream(file) << text;
    return file;
}
}  // namespace

TEST(DaemonConfig, ReadsEveryKey) {
    TempDir dir;
    auto file = write(dir, "plugin-dirs: [/a, /b]\ndisable-plugins: [fan]\nplugins:\n  lxd: {socket: /s}\n  ovn:\n");
    daemon::DaemonConfig config;
    daemon::apply_config_file(config, file, true);
    ASSERT_EQ(config.plugin_dirs.size(), 2u);
    EXPECT_EQ(config.plugin_dirs[1], "/b");
    EXPECT_TRUE(config.disabled_plugins.count("fan"));
    EXPECT_EQ(config.plugin_config["lxd"]["socket"], "/s");
    EXPECT_TRUE(config.plugin_config["ovn"].is_object());
}

TEST(DaemonConfig, JoinConcurrencyIsAWholeNumber) {
    TempDir dir;
    daemon::DaemonConfig config;
    daemon::apply_config_file(config, write(dir, "join-concurrency: 1\n"), true);
    EXPECT_EQ(config.join_concurrency, 1u);
    for (const char* bad : {"join-concurrency: -1\n", "join-concurrency: two\n", "join-concurrency: 5000\n"}) {
        try {
            daemon::apply_config_file(config, write(dir, bad), true);
            FAIL() << "accepted " << bad;
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), "invalid_config");
            EXPECT_NE(std::string(e.what()).find("from 0 (every joiner at once) to 1000"), std::string::npos) << e.what();
        }
    }
}

TEST(DaemonConfig, UnknownKeyIsNamedWithTheAcceptedOnes) {
    TempDir dir;
    auto file = write(dir, "disable_plugins: [fan]\n");
    daemon::DaemonConfig config;
    try {
        daemon::apply_config_file(config, file, true);
        FAIL() << "no exception";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "invalid_config");
        std::string message = e.what();
        EXPECT_NE(message.find("\"disable_plugins\""), std::string::npos);
        EXPECT_NE(message.find("disable-plugins"), std::string::npos);
    }
}

TEST(DaemonConfig, WrongTypeIsAnError) {
    TempDir dir;
    auto file = write(dir, "disable-plugins: fan\n");
    daemon::DaemonConfig config;
    EXPECT_THROW(daemon::apply_config_file(config, file, true), Error);
    EXPECT_TRUE(config.disabled_plugins.empty());
}

TEST(DaemonConfig, MissingDefaultFileIsFineButExplicitIsNot) {
    daemon::DaemonConfig config;
    EXPECT_NO_THROW(daemon::apply_config_file(config, "/nonexistent/microcloudd.yaml", false));
    EXPECT_THROW(daemon::apply_config_file(config, "/nonexistent/microcloudd.yaml", true), Error);
}
