// tests/unit/system/routes_test.cpp - the default IPv4 route from /proc/net/route text.
#include "fake_root.hpp"

#include "common/error.hpp"
#include "system/routes.hpp"

#include <gtest/gtest.h>

namespace microcloud::host::system {
namespace {

using testing::FakeRoot;

const std::string kHeader = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";

const std::vector<InterfaceAddress> kAddresses{
    {"eth0", "inet6", "fe80::1", 64, "link"},
    {"eth0", "inet", "192.0.2.10", 24, "global"},
    {"eth0", "inet", "198.51.100.7", 24, "global"},
};

TEST(ParseDefaultRoute, ReadsGatewayInterfaceAndSubnet) {
    const std::string table = kHeader +
                              "eth0\t00000000\t010200C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
                              "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";
    EXPECT_EQ(parse_default_route(table, kAddresses), (nlohmann::json{{"interface", "eth0"},
                                                                      {"gateway", "192.0.2.1"},
                                                                      {"metric", 100},
                                                                      {"address", "192.0.2.10"},
                                                                      {"subnet", "192.0.2.0/24"}}));
}

TEST(ParseDefaultRoute, NullWithoutADefaultRoute) {
    const std::string table = kHeader + "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";
    EXPECT_TRUE(parse_default_route(table, kAddresses).is_null());
    EXPECT_TRUE(parse_default_route(kHeader, kAddresses).is_null());
    EXPECT_TRUE(parse_default_route("", kAddresses).is_null());
}

TEST(ParseDefaultRoute, IgnoresRoutesThatAreNotUp) {
    const std::string table = kHeader + "eth0\t00000000\t010200C0\t0002\t0\t0\t0\t00000000\t0\t0\t0\n";
    EXPECT_TRUE(parse_default_route(table, kAddresses).is_null());
}

TEST(ParseDefaultRoute, LowestMetricWinsThenFirstListed) {
    const std::string table = kHeader +
                              "eth1\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n"
                              "eth0\t00000000\t010200C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
                              "eth2\t00000000\t0102A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n";
    EXPECT_EQ(parse_default_route(table, kAddresses)["interface"], "eth0");
}

TEST(ParseDefaultRoute, DeviceRouteHasNoGatewayAndUnaddressedInterfaceHasNoSubnet) {
    const std::string table = kHeader + "wg0\t00000000\t00000000\t0001\t0\t0\t0\t00000000\t0\t0\t0\n";
    const auto route = parse_default_route(table, kAddresses);
    EXPECT_EQ(route["interface"], "wg0");
    EXPECT_EQ(route["gateway"], "");
    EXPECT_EQ(route["address"], "");
    EXPECT_EQ(route["subnet"], "");
}

TEST(ParseDefaultRoute, SkipsMalformedLines) {
    const std::string table =
        kHeader + "eth0\tzz\t010200C0\t0003\n" + "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n";
    EXPECT_EQ(parse_default_route(table, kAddresses)["gateway"], "192.0.2.1");
}

TEST(DefaultIpv4Route, ReadsProcNetRoute) {
    FakeRoot root;
    root.write("proc/net/route", kHeader + "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n");
    const auto route = default_ipv4_route(root.roots(), [] { return kAddresses; });
    EXPECT_EQ(route["subnet"], "192.0.2.0/24");
}

TEST(DefaultIpv4Route, MissingTableIsAnError) {
    FakeRoot root;
    try {
        default_ipv4_route(root.roots(), [] { return kAddresses; });
        FAIL() << "expected an error";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "system_facts_unreadable");
        EXPECT_NE(std::string(error.what()).find("net/route"), std::string::npos);
    }
}

}  // namespace
}  // namespace microcloud::host::system
