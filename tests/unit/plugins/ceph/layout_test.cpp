// tests/unit/plugins/ceph/layout_test.cpp - a member's Ceph paths, the ceph.conf written for it,
// the OSD memory target, and the command lines that form a cluster.
#include "ceph_commands.hpp"
#include "ceph_conf.hpp"
#include "ceph_layout.hpp"

#include <gtest/gtest.h>

namespace ceph = microcloud::plugins::ceph;

namespace {

ceph::CephConfig lab_config() {
    ceph::CephConfig config;
    config.conf_dir = "/lab/m1/ceph/etc";
    config.data_dir = "/lab/m1/ceph/data";
    config.run_dir = "/lab/m1/ceph/run";
    config.log_dir = "/lab/m1/ceph/log";
    return config;
}

}  // namespace

TEST(CephLayout, PathsFollowTheConfiguredDirectories) {
    const auto layout = ceph::layout_of(lab_config());
    EXPECT_EQ(layout.conf, "/lab/m1/ceph/etc/ceph.conf");
    EXPECT_EQ(layout.admin_keyring, "/lab/m1/ceph/etc/ceph.client.admin.keyring");
    EXPECT_EQ(layout.bootstrap_osd_keyring, "/lab/m1/ceph/etc/ceph.client.bootstrap-osd.keyring");
    EXPECT_EQ(layout.daemon_dir("mon", "m1"), "/lab/m1/ceph/data/mon/ceph-m1");
    EXPECT_EQ(layout.pid_file("osd", "2"), "/lab/m1/ceph/run/ceph-osd.2.pid");
}

TEST(CephLayout, ConfHasTheClusterTheMemberAndItsPaths) {
    const ceph::ConfSettings settings{"0b4c…", {"10.1.0.11", "10.1.0.12"}, "10.1.0.0/24", "10.2.0.0/24", "m1", 1 << 30};
    const auto conf = ceph::parse_ceph_conf(ceph::render_conf(lab_config(), settings));
    EXPECT_TRUE(conf.errors.empty());
    EXPECT_EQ(conf.get("global", "fsid"), "0b4c…");
    EXPECT_EQ(conf.get("global", "mon_host"), "10.1.0.11,10.1.0.12");
    EXPECT_EQ(conf.get("global", "public_network"), "10.1.0.0/24");
    EXPECT_EQ(conf.get("global", "cluster_network"), "10.2.0.0/24");
    EXPECT_EQ(conf.get("global", "ms_bind_ipv4"), "true");
    EXPECT_EQ(conf.get("global", "mon_data"), "/lab/m1/ceph/data/mon/$cluster-$id");
    EXPECT_EQ(conf.get("global", "run_dir"), "/lab/m1/ceph/run");
    EXPECT_EQ(conf.get("global", "log_file"), "/lab/m1/ceph/log/$cluster-$name.log");
    EXPECT_EQ(conf.get("osd", "crush_location"), "root=default host=m1");
    EXPECT_EQ(conf.get("osd", "osd_memory_target"), std::to_string(1 << 30));
    EXPECT_EQ(conf.get("mon", "pid_file"), "/lab/m1/ceph/run/$cluster-$name.pid");
    EXPECT_EQ(conf.get("client", "keyring"), "/lab/m1/ceph/etc/$cluster.$name.keyring");
    EXPECT_EQ(conf.get("global", "auth_client_required"), "cephx");
}

TEST(CephLayout, Ipv6PublicNetworkBindsIpv6) {
    const ceph::ConfSettings settings{"f", {"fd00::11"}, "fd00::/64", "fd00::/64", "m1", 0};
    const auto conf = ceph::parse_ceph_conf(ceph::render_conf(lab_config(), settings));
    EXPECT_EQ(conf.get("global", "ms_bind_ipv6"), "true");
    EXPECT_EQ(conf.get("global", "ms_bind_ipv4"), "false");
    EXPECT_EQ(conf.get("global", "mon_host"), "[fd00::11]");
    EXPECT_FALSE(conf.get("osd", "osd_memory_target").has_value());
}

TEST(CephLayout, OsdMemoryTargetIsAnEighthSharedWithinCephLimits) {
    constexpr std::uint64_t GiB = 1ull << 30;
    EXPECT_EQ(ceph::osd_memory_target(24 * GiB, 1), 3 * GiB);
    EXPECT_EQ(ceph::osd_memory_target(24 * GiB, 2), 3 * GiB / 2);
    EXPECT_EQ(ceph::osd_memory_target(64 * GiB, 1), 4 * GiB);      // Ceph's default at most
    EXPECT_EQ(ceph::osd_memory_target(4 * GiB, 4), 896ull << 20);  // Ceph's minimum at least
    EXPECT_EQ(ceph::osd_memory_target(24 * GiB, 0), 3 * GiB);
}

TEST(CephCommands, ClientAndDaemonsUseTheMembersConf) {
    const auto config = lab_config();
    EXPECT_EQ(ceph::ceph_cli(config, {"osd", "stat"}),
              (ceph::Argv{"ceph", "--cluster", "ceph", "--conf", "/lab/m1/ceph/etc/ceph.conf", "--connect-timeout",
                          "15", "osd", "stat"}));
    EXPECT_EQ(ceph::daemon_start(config, false, "mon", "m2", {"--public-addr", "10.1.0.12"}),
              (ceph::Argv{"ceph-mon", "--cluster", "ceph", "--conf", "/lab/m1/ceph/etc/ceph.conf", "-i", "m2",
                          "--public-addr", "10.1.0.12"}));
    EXPECT_EQ(ceph::daemon_start(config, true, "osd", "3", {"--ignored"}),
              (ceph::Argv{"systemctl", "start", "ceph-osd@3.service"}));
    const auto bootstrap = ceph::ceph_cli_bootstrap_osd(config, {"osd", "new", "u"});
    EXPECT_NE(std::find(bootstrap.begin(), bootstrap.end(), "client.bootstrap-osd"), bootstrap.end());
}

TEST(CephCommands, MonmapHasBothMessengersAndTheRelease) {
    EXPECT_EQ(ceph::monmap_create("/t/monmap", "fs1d", "m1", "10.1.0.11", "pacific"),
              (ceph::Argv{"monmaptool", "--create", "--fsid", "fs1d", "--addv", "m1",
                          "[v2:10.1.0.11:3300,v1:10.1.0.11:6789]", "--set-min-mon-release", "pacific",
                          "--enable-all-features", "/t/monmap"}));
    const auto v6 = ceph::monmap_create("/t/monmap", "f", "m1", "fd00::11", "");
    EXPECT_EQ(v6[6], "[v2:[fd00::11]:3300,v1:[fd00::11]:6789]");
    EXPECT_EQ(std::find(v6.begin(), v6.end(), "--set-min-mon-release"), v6.end());
}

TEST(CephCommands, KeyringsWithCaps) {
    EXPECT_EQ(ceph::authtool_create("/k", "client.admin", {"mon", "allow *", "osd", "allow *"}),
              (ceph::Argv{"ceph-authtool", "--create-keyring", "/k", "--gen-key", "-n", "client.admin", "--cap", "mon",
                          "allow *", "--cap", "osd", "allow *"}));
    EXPECT_EQ(ceph::authtool_with_key("/d/keyring", "osd.0", "AQB=="),
              (ceph::Argv{"ceph-authtool", "--create-keyring", "/d/keyring", "--name", "osd.0", "--add-key", "AQB=="}));
}

TEST(CephCommands, OsdMkfsIsBluestoreWithItsUuid) {
    const auto argv = ceph::osd_mkfs(lab_config(), "4", "u-u-i-d");
    EXPECT_EQ(argv.front(), "ceph-osd");
    EXPECT_NE(std::find(argv.begin(), argv.end(), "bluestore"), argv.end());
    EXPECT_NE(std::find(argv.begin(), argv.end(), "u-u-i-d"), argv.end());
    EXPECT_EQ(ceph::zap_head("/dev/loop3")[2], "of=/dev/loop3");
}
