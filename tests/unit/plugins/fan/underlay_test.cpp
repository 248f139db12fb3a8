// tests/unit/plugins/fan/underlay_test.cpp - upstream MicroCloud's underlay rule: keep a /16 or
// /24 default-route subnet, otherwise cut its network address to /16.
#include "fan_underlay.hpp"

#include <gtest/gtest.h>

namespace fan = microcloud::plugins::fan;

namespace {

std::string underlay_of(const char* subnet) {
    return fan::format_prefix(fan::fan_underlay_subnet(*fan::parse_ipv4_prefix(subnet)));
}

}  // namespace

TEST(FanUnderlay, KeepsSlash24AndSlash16) {
    EXPECT_EQ(underlay_of("192.0.2.0/24"), "192.0.2.0/24");
    EXPECT_EQ(underlay_of("172.16.0.0/16"), "172.16.0.0/16");
}

TEST(FanUnderlay, ClearsHostBits) {
    EXPECT_EQ(underlay_of("192.0.2.77/24"), "192.0.2.0/24");
    EXPECT_EQ(underlay_of("172.16.9.9/16"), "172.16.0.0/16");
}

TEST(FanUnderlay, ForcesOtherSizesToSlash16) {
    EXPECT_EQ(underlay_of("10.1.16.0/20"), "10.1.0.0/16");
    EXPECT_EQ(underlay_of("10.1.2.128/25"), "10.1.0.0/16");
    EXPECT_EQ(underlay_of("10.1.2.4/30"), "10.1.0.0/16");
    EXPECT_EQ(underlay_of("10.1.2.3/32"), "10.1.0.0/16");
    EXPECT_EQ(underlay_of("192.168.0.0/23"), "192.168.0.0/16");
}

TEST(FanUnderlay, WiderSubnetsUseTheirNetworkAddress) {
    // Upstream masks the subnet's network address, not the member's: a /8 becomes its first /16.
    EXPECT_EQ(underlay_of("10.5.6.7/8"), "10.0.0.0/16");
    EXPECT_EQ(underlay_of("172.20.1.1/12"), "172.16.0.0/16");
}
