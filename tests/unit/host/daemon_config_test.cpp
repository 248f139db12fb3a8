// tests/unit/host/daemon_config_test.cpp - the daemon's config file: accepted keys, errors naming
// the key, and a missing default file being fine.
#include "common/error.hpp"
#include "daemon/daemon_config.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <utility>
#include <vector>

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

TEST(DaemonConfig, PluginIdleStopIsSecondsUpToADay) {
    TempDir dir;
    daemon::DaemonConfig config;
    EXPECT_EQ(config.plugin_idle_stop, std::chrono::seconds(300));
    daemon::apply_config_file(config, write(dir, "plugin-idle-stop: 0\n"), true);
    EXPECT_EQ(config.plugin_idle_stop, std::chrono::seconds(0));
    for (const char* bad : {"plugin-idle-stop: -1\n", "plugin-idle-stop: soon\n", "plugin-idle-stop: 90000\n"}) {
        try {
            daemon::apply_config_file(config, write(dir, bad), true);
            FAIL() << "accepted " << bad;
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), "invalid_config");
            EXPECT_NE(std::string(e.what()).find("\"plugin-idle-stop\""), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find("from 0 (never stop) to 86400"), std::string::npos) << e.what();
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
        EXPECT_NE(message.find("plugin-idle-stop)"), std::string::npos) << message;  // the last accepted key
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

TEST(DaemonConfig, DisksListsThisMembersOwnDevices) {
    TempDir dir;
    daemon::DaemonConfig config;
    EXPECT_FALSE(config.disks.has_value());  // default: every disk
    daemon::apply_config_file(config, write(dir, "disks: [/dev/loop3, /dev/disk/by-id/wwn-0x5000c500a1b2c3d4]\n"),
                              true);
    ASSERT_TRUE(config.disks.has_value());
    EXPECT_EQ(*config.disks, (std::vector<std::string>{"/dev/loop3", "/dev/disk/by-id/wwn-0x5000c500a1b2c3d4"}));
    daemon::DaemonConfig none;
    daemon::apply_config_file(none, write(dir, "disks: []\n"), true);
    ASSERT_TRUE(none.disks.has_value());  // set, and empty: this member has no disk of its own
    EXPECT_TRUE(none.disks->empty());
}

TEST(DaemonConfig, DisksOutsideDevAreNamedWithTheKey) {
    TempDir dir;
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"disks: [loop3]\n", "\"loop3\""},
        {"disks: [/dev/loop3, dev/sdb]\n", "\"dev/sdb\""},
        {"disks: [/tmp/disk.img]\n", "\"/tmp/disk.img\""},
        {"disks: [/dev]\n", "\"/dev\""},
        {"disks: [/dev/]\n", "\"/dev/\""},
        {"disks: [/dev/../etc/passwd]\n", "\"/dev/../etc/passwd\""},
        {"disks: [/devices/sdb]\n", "\"/devices/sdb\""},
        {"disks: ['']\n", "\"\""},
        {"disks: [3]\n", "3"},
        {"disks: /dev/loop3\n", "list of device paths"},
    };
    for (const auto& [text, named] : cases) {
        daemon::DaemonConfig config;
        try {
            daemon::apply_config_file(config, write(dir, text), true);
            FAIL() << "accepted " << text;
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), "invalid_config") << text;
            const std::string message = e.what();
            EXPECT_NE(message.find("key \"disks\""), std::string::npos) << message;
            EXPECT_NE(message.find(named), std::string::npos) << message;
            EXPECT_EQ(e.details().value("key", ""), "disks");
        }
        EXPECT_FALSE(config.disks.has_value()) << text;
    }
}
