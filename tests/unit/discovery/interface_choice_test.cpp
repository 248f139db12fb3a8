// tests/unit/discovery/interface_choice_test.cpp - choosing the discovery interface from fake facts.
#include "discovery/interface_choice.hpp"
#include "common/error.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace discovery = microcloud::host::discovery;
using microcloud::host::Error;
using nlohmann::json;

namespace {

json address(const std::string& family, const std::string& text, int prefix) {
    return {{"family", family}, {"address", text}, {"prefix", prefix}, {"scope", "global"}};
}

// Shaped like host/system's collect_interfaces().
json fake_interfaces() {
    return json::array({
        {{"name", "eth0"},
         {"addresses", json::array({address("inet", "192.168.1.5", 24), address("inet6", "fd00::5", 64)})}},
        {{"name", "eth1"}, {"addresses", json::array({address("inet", "10.174.0.7", 24)})}},
        {{"name", "lo"}, {"addresses", json::array({address("inet", "127.0.0.1", 8)})}},
        {{"name", "uplink0"}, {"addresses", json::array()}},
    });
}

Error error_of(const std::function<void()>& call) {
    try {
        call();
    } catch (const Error& error) {
        return error;
    }
    ADD_FAILURE() << "no error";
    return Error("none", "none");
}

}  // namespace

TEST(DiscoveryInterfaceChoice, PicksTheInterfaceInsideTheSubnet) {
    const auto chosen = discovery::interface_for_subnet(fake_interfaces(), "10.174.0.0/24");
    EXPECT_EQ(chosen.endpoint.interface, "eth1");
    EXPECT_EQ(chosen.endpoint.address, "10.174.0.7");
    EXPECT_EQ(chosen.prefix, 24);
    EXPECT_EQ(chosen.subnet, "10.174.0.0/24");
}

TEST(DiscoveryInterfaceChoice, WiderSubnetsAndHostBitsMatch) {
    EXPECT_EQ(discovery::interface_for_subnet(fake_interfaces(), "10.0.0.0/8").endpoint.interface, "eth1");
    EXPECT_EQ(discovery::interface_for_subnet(fake_interfaces(), "192.168.1.99/24").endpoint.interface, "eth0");
    EXPECT_EQ(discovery::interface_for_subnet(fake_interfaces(), "10.174.0.7/32").endpoint.interface, "eth1");
}

TEST(DiscoveryInterfaceChoice, NoMatchNamesSubnetAndAddressesSeen) {
    const Error error = error_of([] { discovery::interface_for_subnet(fake_interfaces(), "10.99.0.0/16"); });
    EXPECT_EQ(error.code(), "discovery_no_interface_for_subnet");
    EXPECT_STREQ(error.what(),
                 "No interface has an address in lookup subnet 10.99.0.0/16 (IPv4 addresses seen: "
                 "eth0 192.168.1.5/24, eth1 10.174.0.7/24, lo 127.0.0.1/8)");
    EXPECT_EQ(error.details()["subnet"], "10.99.0.0/16");
    EXPECT_EQ(error.details()["addresses"].size(), 3u);
}

TEST(DiscoveryInterfaceChoice, NoAddressesAtAll) {
    const Error error = error_of([] { discovery::interface_for_subnet(json::array(), "10.0.0.0/8"); });
    EXPECT_NE(std::string(error.what()).find("(IPv4 addresses seen: none)"), std::string::npos) << error.what();
}

TEST(DiscoveryInterfaceChoice, RejectsMalformedSubnets) {
    for (const std::string cidr : {"10.0.0.0", "10.0.0.0/33", "10.0.0/24", "fd00::/64", "10.0.0.0/x", "10.0.0.0/"}) {
        const Error error = error_of([&] { discovery::interface_for_subnet(fake_interfaces(), cidr); });
        EXPECT_EQ(error.code(), "discovery_invalid_subnet") << cidr;
        EXPECT_NE(std::string(error.what()).find(cidr), std::string::npos) << error.what();
    }
}

TEST(DiscoveryInterfaceChoice, ByName) {
    const auto chosen = discovery::interface_by_name(fake_interfaces(), "eth0");
    EXPECT_EQ(chosen.endpoint.address, "192.168.1.5");
    EXPECT_EQ(chosen.subnet, "192.168.1.0/24");
    EXPECT_EQ(error_of([] { discovery::interface_by_name(fake_interfaces(), "eth9"); }).code(),
              "discovery_no_such_interface");
    EXPECT_EQ(error_of([] { discovery::interface_by_name(fake_interfaces(), "uplink0"); }).code(),
              "discovery_interface_without_ipv4");
}
