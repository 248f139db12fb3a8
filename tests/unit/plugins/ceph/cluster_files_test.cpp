// tests/unit/plugins/ceph/cluster_files_test.cpp - finding an existing cluster's config, keyring
// and daemon data directories in temporary trees.
#include "cluster_files.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

namespace ceph = microcloud::plugins::ceph;
using microcloud::testing::TempDir;

TEST(CephClusterFiles, DefaultKeyringCandidatesFollowCephsOrder) {
    ceph::CephConfig config{.conf_dir = "/lab/etc", .cluster = "lab", .data_dir = "/lab/data"};
    EXPECT_EQ(ceph::keyring_candidates(config, std::nullopt),
              (std::vector<std::string>{"/lab/etc/lab.client.admin.keyring", "/lab/etc/lab.keyring", "/lab/etc/keyring",
                                        "/lab/etc/keyring.bin"}));
}

TEST(CephClusterFiles, ConfiguredKeyringIsExpanded) {
    ceph::CephConfig config{.conf_dir = "/etc/ceph", .cluster = "ceph", .data_dir = "/var/lib/ceph"};
    auto conf = ceph::parse_ceph_conf("[global]\nkeyring = /k/$cluster.$name.keyring, /k/other\n");
    EXPECT_EQ(ceph::keyring_candidates(config, conf),
              (std::vector<std::string>{"/k/ceph.client.admin.keyring", "/k/other"}));
    auto client = ceph::parse_ceph_conf("[global]\nkeyring = /g\n[client]\nkeyring = /c\n");
    EXPECT_EQ(ceph::keyring_candidates(config, client), (std::vector<std::string>{"/c"}));
}

TEST(CephClusterFiles, DaemonIdsBelongToTheCluster) {
    EXPECT_EQ(ceph::daemon_ids({"ceph-b", "ceph-a", "lab-c", "ceph-", "cephx-1"}, "ceph"),
              (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(ceph::daemon_ids({"ceph-0", "ceph-12", "ceph-3"}, "ceph"), (std::vector<std::string>{"0", "12", "3"}));
}

TEST(CephClusterFiles, MonitorAddressesFallBackToMonSections) {
    EXPECT_EQ(ceph::monitor_addresses(ceph::parse_ceph_conf("[global]\nmon_host = 192.0.2.1\n[mon.a]\nmon addr = x\n")),
              "192.0.2.1");
    EXPECT_EQ(ceph::monitor_addresses(
                  ceph::parse_ceph_conf("[mon.a]\nmon addr = 192.0.2.1:6789\n[mon.b]\nmon_addr = 192.0.2.2:6789\n")),
              "192.0.2.1:6789,192.0.2.2:6789");
    EXPECT_EQ(ceph::monitor_addresses(ceph::parse_ceph_conf("[global]\nfsid = x\n")), "");
}

TEST(CephClusterFiles, NothingThere) {
    TempDir tmp;
    ceph::CephConfig config{.conf_dir = (tmp.path() / "etc").string(), .cluster = "ceph", .data_dir = (tmp.path() / "data").string()};
    auto files = ceph::read_cluster_files(config);
    EXPECT_EQ(files.conf_path, (tmp.path() / "etc/ceph.conf").string());
    EXPECT_FALSE(files.conf_exists);
    EXPECT_FALSE(files.conf);
    EXPECT_EQ(files.keyring_path, "");
    EXPECT_TRUE(files.daemon_ids["mon"].empty());
    EXPECT_TRUE(files.daemon_ids["osd"].empty());
}

TEST(CephClusterFiles, AnExistingCluster) {
    TempDir tmp;
    tmp.write("etc/lab.conf", "[global]\nfsid = 11111111-2222-3333-4444-555555555555\nmon_host = 192.0.2.11\n");
    auto keyring = tmp.write("etc/lab.client.admin.keyring", "[client.admin]\n\tkey = AQ==\n");
    tmp.mkdir("data/mon/lab-m1");
    tmp.mkdir("data/mgr/lab-m1");
    tmp.mkdir("data/osd/lab-0");
    tmp.mkdir("data/osd/lab-1");
    tmp.mkdir("data/osd/ceph-9");
    tmp.write("data/osd/lab-7", "not a directory");
    ceph::CephConfig config{.conf_dir = (tmp.path() / "etc").string(), .cluster = "lab", .data_dir = (tmp.path() / "data").string()};
    auto files = ceph::read_cluster_files(config);
    ASSERT_TRUE(files.conf_exists);
    ASSERT_TRUE(files.conf);
    EXPECT_EQ(files.conf->get("global", "fsid"), "11111111-2222-3333-4444-555555555555");
    EXPECT_EQ(files.keyring_path, keyring.string());
    EXPECT_EQ(files.daemon_ids["mon"], (std::vector<std::string>{"m1"}));
    EXPECT_EQ(files.daemon_ids["mgr"], (std::vector<std::string>{"m1"}));
    EXPECT_EQ(files.daemon_ids["osd"], (std::vector<std::string>{"0", "1"}));
}

TEST(CephClusterFiles, EmptyConfigIsReadable) {
    TempDir tmp;
    tmp.write("etc/ceph.conf", "");
    auto files = ceph::read_cluster_files({.conf_dir = (tmp.path() / "etc").string(), .cluster = "ceph", .data_dir = (tmp.path() / "data").string()});
    EXPECT_TRUE(files.conf_exists);
    EXPECT_TRUE(files.conf);
    EXPECT_EQ(files.conf_read_error, "");
}
