// tests/unit/plugins/ceph/conf_test.cpp - the ceph.conf (INI) parser.
#include "ceph_conf.hpp"

#include <gtest/gtest.h>

namespace ceph = microcloud::plugins::ceph;

TEST(CephConf, ParsesATypicalConfig) {
    auto conf = ceph::parse_ceph_conf(
        "# written by the bootstrap\n"
        "[global]\n"
        "\tfsid = 9f1c6a44-1111-2222-3333-444455556666\n"
        "\tmon host = [v2:192.0.2.11:3300,v1:192.0.2.11:6789] ; the first monitor\n"
        "\tauth_allow_insecure_global_id_reclaim = false\n"
        "  public-network = 192.0.2.0/24   # inline comment\n"
        "\n"
        "; another comment\n"
        "[client.admin]\n"
        "keyring = \"/etc/ceph/$cluster.$name.keyring\"\n"
        "[mon.a]\n");
    EXPECT_TRUE(conf.errors.empty()) << conf.errors.front();
    EXPECT_EQ(conf.get("global", "fsid"), "9f1c6a44-1111-2222-3333-444455556666");
    EXPECT_EQ(conf.get("global", "mon_host"), "[v2:192.0.2.11:3300,v1:192.0.2.11:6789]");
    EXPECT_EQ(conf.get("global", "mon host"), conf.get("global", "mon-host"));
    EXPECT_EQ(conf.get("global", "public_network"), "192.0.2.0/24");
    EXPECT_EQ(conf.get("client.admin", "keyring"), "/etc/ceph/$cluster.$name.keyring");
    EXPECT_TRUE(conf.sections.count("mon.a"));
    EXPECT_FALSE(conf.get("global", "cluster_network"));
    EXPECT_FALSE(conf.get("osd", "fsid"));
}

TEST(CephConf, QuotedValuesKeepCommentCharacters) {
    auto conf = ceph::parse_ceph_conf("[global]\nlog file = \"/var/log/ceph/#1;x.log\" # comment\nq = \"a\\\"b\"\n");
    EXPECT_TRUE(conf.errors.empty());
    EXPECT_EQ(conf.get("global", "log_file"), "/var/log/ceph/#1;x.log");
    EXPECT_EQ(conf.get("global", "q"), "a\"b");
}

TEST(CephConf, BackslashContinuesALine) {
    auto conf = ceph::parse_ceph_conf("[global]\nmon_host = 192.0.2.11,\\\n  192.0.2.12\r\nfsid = x\r\n");
    EXPECT_TRUE(conf.errors.empty());
    EXPECT_EQ(conf.get("global", "mon_host"), "192.0.2.11,  192.0.2.12");
    EXPECT_EQ(conf.get("global", "fsid"), "x");
}

TEST(CephConf, LaterValuesWin) {
    auto conf = ceph::parse_ceph_conf("[global]\nfsid = a\n[global]\nfsid = b\n");
    EXPECT_EQ(conf.get("global", "fsid"), "b");
}

TEST(CephConf, ReportsBadLinesAndKeepsTheRest) {
    auto conf = ceph::parse_ceph_conf("orphan = 1\n[global\n[global]\nnonsense\n= 3\nv = \"open\nfsid = ok\n");
    ASSERT_EQ(conf.errors.size(), 5u);
    EXPECT_NE(conf.errors[0].find("line 1:"), std::string::npos);
    EXPECT_NE(conf.errors[0].find("outside any [section]"), std::string::npos);
    EXPECT_NE(conf.errors[1].find("malformed section header"), std::string::npos);
    EXPECT_NE(conf.errors[2].find("line 4: expected \"key = value\""), std::string::npos);
    EXPECT_NE(conf.errors[4].find("badly quoted"), std::string::npos);
    EXPECT_EQ(conf.get("global", "fsid"), "ok");
}

TEST(CephConf, NormalisesKeys) {
    EXPECT_EQ(ceph::normalise_key("  mon   host "), "mon_host");
    EXPECT_EQ(ceph::normalise_key("osd-pool_default  size"), "osd_pool_default_size");
    EXPECT_EQ(ceph::normalise_key("_x_"), "x");
    EXPECT_EQ(ceph::normalise_key(""), "");
}
