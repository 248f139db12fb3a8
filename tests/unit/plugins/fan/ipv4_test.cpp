// tests/unit/plugins/fan/ipv4_test.cpp - IPv4 address and prefix parsing and formatting.
#include "ipv4.hpp"

#include <gtest/gtest.h>

namespace fan = microcloud::plugins::fan;

TEST(Ipv4, ParsesDottedQuads) {
    EXPECT_EQ(fan::parse_ipv4("0.0.0.0"), 0u);
    EXPECT_EQ(fan::parse_ipv4("192.0.2.1"), 0xC0000201u);
    EXPECT_EQ(fan::parse_ipv4("255.255.255.255"), 0xFFFFFFFFu);
    for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-4", "1..2.3", " 1.2.3.4", "1.2.3.4 ",
                            "a.b.c.d", "1.2.3.4/24", "1234.1.1.1"})
        EXPECT_FALSE(fan::parse_ipv4(bad)) << bad;
}

TEST(Ipv4, ParsesPrefixes) {
    auto p = fan::parse_ipv4_prefix("10.1.2.3/20");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->length, 20);
    EXPECT_EQ(fan::format_prefix(*p), "10.1.2.3/20");
    EXPECT_EQ(fan::format_prefix(fan::network_of(*p)), "10.1.0.0/20");
    EXPECT_EQ(fan::parse_ipv4_prefix("0.0.0.0/0")->length, 0);
    for (const char* bad : {"10.0.0.0", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0/8", "10.0.0.0/8/8"})
        EXPECT_FALSE(fan::parse_ipv4_prefix(bad)) << bad;
}

TEST(Ipv4, MasksAndContainment) {
    EXPECT_EQ(fan::prefix_mask(0), 0u);
    EXPECT_EQ(fan::prefix_mask(16), 0xFFFF0000u);
    EXPECT_EQ(fan::prefix_mask(32), 0xFFFFFFFFu);
    auto net = *fan::parse_ipv4_prefix("10.1.0.0/16");
    EXPECT_TRUE(fan::contains(net, *fan::parse_ipv4("10.1.255.3")));
    EXPECT_FALSE(fan::contains(net, *fan::parse_ipv4("10.2.0.1")));
    EXPECT_EQ(fan::format_ipv4(0x0A010203u), "10.1.2.3");
}
