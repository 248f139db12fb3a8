// tests/unit/system/addresses_test.cpp - address scopes and IPv4 networks.
#include "system/addresses.hpp"

#include <gtest/gtest.h>

namespace microcloud::host::system {
namespace {

TEST(AddressScope, ClassifiesIpv4) {
    EXPECT_EQ(address_scope("inet", "127.0.0.1"), "host");
    EXPECT_EQ(address_scope("inet", "169.254.3.4"), "link");
    EXPECT_EQ(address_scope("inet", "10.1.2.3"), "global");
}

TEST(AddressScope, ClassifiesIpv6) {
    EXPECT_EQ(address_scope("inet6", "::1"), "host");
    EXPECT_EQ(address_scope("inet6", "fe80::5054:ff:fe12:3456"), "link");
    EXPECT_EQ(address_scope("inet6", "2001:db8::1"), "global");
    EXPECT_EQ(address_scope("inet6", "fd42::1"), "global");
}

TEST(Ipv4Network, MasksTheHostPart) {
    EXPECT_EQ(ipv4_network("10.0.0.17", 24), "10.0.0.0/24");
    EXPECT_EQ(ipv4_network("192.168.77.130", 25), "192.168.77.128/25");
    EXPECT_EQ(ipv4_network("172.16.5.4", 32), "172.16.5.4/32");
    EXPECT_EQ(ipv4_network("172.16.5.4", 0), "0.0.0.0/0");
}

TEST(Ipv4Network, RejectsInvalidInput) {
    EXPECT_EQ(ipv4_network("not-an-address", 24), "");
    EXPECT_EQ(ipv4_network("10.0.0.1", 33), "");
    EXPECT_EQ(ipv4_network("fe80::1", 64), "");
}

}  // namespace
}  // namespace microcloud::host::system
