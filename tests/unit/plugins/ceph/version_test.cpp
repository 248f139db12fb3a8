// tests/unit/plugins/ceph/version_test.cpp - "ceph version ..." lines (the Debian 12 line is
// captured from ceph 16.2.15) and version comparison.
#include "ceph_version.hpp"

#include <gtest/gtest.h>

namespace ceph = microcloud::plugins::ceph;

TEST(CephVersion, ParsesAPacificRelease) {
    auto v =
        ceph::parse_ceph_version("ceph version 16.2.15 (618f440892089921c3e944a991122ddc44e60516) pacific (stable)\n");
    ASSERT_TRUE(v);
    EXPECT_EQ(v->version, "16.2.15");
    EXPECT_EQ(v->commit, "618f440892089921c3e944a991122ddc44e60516");
    EXPECT_EQ(v->codename, "pacific");
    EXPECT_EQ(v->release_type, "stable");
}

TEST(CephVersion, ParsesOtherShapes) {
    auto reef =
        ceph::parse_ceph_version("ceph version 18.2.0 (5dd24139a1eada541a3bc16b6941c5dde975e26d) reef (stable)");
    EXPECT_EQ(reef->codename, "reef");

    auto jewel = ceph::parse_ceph_version("ceph version 10.2.11 (e4b061b47f07f583c92a050d9e84b1813a35671e)\n");
    ASSERT_TRUE(jewel);
    EXPECT_EQ(jewel->version, "10.2.11");
    EXPECT_EQ(jewel->codename, "");
    EXPECT_EQ(jewel->release_type, "");

    auto dev = ceph::parse_ceph_version("ceph version Development (no_version) quincy (dev)\n");
    ASSERT_TRUE(dev);
    EXPECT_EQ(dev->version, "Development");
    EXPECT_EQ(dev->commit, "no_version");
    EXPECT_EQ(dev->release_type, "dev");

    auto noisy = ceph::parse_ceph_version("warning: something\nceph version 17.2.6 (d7ff0d1) quincy (stable)\n");
    EXPECT_EQ(noisy->version, "17.2.6");
}

TEST(CephVersion, RejectsOtherOutput) {
    EXPECT_FALSE(ceph::parse_ceph_version(""));
    EXPECT_FALSE(ceph::parse_ceph_version("usage: ceph [-h]\n"));
    EXPECT_FALSE(ceph::parse_ceph_version("ceph version \n"));
}

TEST(CephVersion, Compares) {
    EXPECT_EQ(ceph::version_at_least("16.2.15", "16.2"), true);
    EXPECT_EQ(ceph::version_at_least("16.2.0", "16.2"), true);
    EXPECT_EQ(ceph::version_at_least("15.2.17", "16.2"), false);
    EXPECT_EQ(ceph::version_at_least("18.2.0", "16.2"), true);
    EXPECT_EQ(ceph::version_at_least("Development", "16.2"), std::nullopt);
}
