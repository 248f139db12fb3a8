// tests/unit/plugins/ovn/topology_test.cpp - where OVN's parts run: centrals, remotes, tunnel IPs.
#include "ovn_topology.hpp"

#include <gtest/gtest.h>

namespace ovn = microcloud::plugins::ovn;
using microcloud::sdk::Json;

namespace {

const Json kAddresses = {{"m1", "10.0.0.11"}, {"m2", "10.0.0.12"}, {"m3", "10.0.0.13"}, {"m4", "10.0.0.14"}};

TEST(OvnTopology, TheFirstThreeMembersOfABootstrapHoldTheDatabases) {
    const Json input = {{"members", {"m1", "m3", "m2", "m4"}}, {"joining", {"m2", "m3", "m4"}}};
    const auto centrals = ovn::centrals_after({}, ovn::bootstrap_order(input), kAddresses);
    ASSERT_EQ(centrals.size(), 3u);
    EXPECT_EQ(centrals[0], (ovn::Central{"m1", "10.0.0.11"}));
    EXPECT_EQ(centrals[1], (ovn::Central{"m2", "10.0.0.12"}));
    EXPECT_EQ(centrals[2], (ovn::Central{"m3", "10.0.0.13"}));
    EXPECT_FALSE(ovn::is_central(centrals, "m4"));
}

TEST(OvnTopology, JoinersFillTheCentralsUpToThreeAndNoFurther) {
    const std::vector<ovn::Central> one{{"m1", "10.0.0.11"}};
    EXPECT_EQ(ovn::centrals_after(one, {"m4", "m2"}, kAddresses).size(), 3u);
    EXPECT_EQ(ovn::centrals_after(one, {"m4", "m2"}, kAddresses)[1].name, "m4");
    const auto full = ovn::centrals_after(one, {"m2", "m3"}, kAddresses);
    EXPECT_EQ(ovn::centrals_after(full, {"m4"}, kAddresses), full);
    // A joiner already listed (the token came after the leader recorded it) is not added twice.
    EXPECT_EQ(ovn::centrals_after(full, {"m2"}, kAddresses), full);
}

TEST(OvnTopology, AChosenMemberWithoutAddressIsAnError) {
    try {
        ovn::centrals_after({}, {"m9"}, kAddresses);
        FAIL() << "accepted";
    } catch (const microcloud::sdk::Error& e) {
        EXPECT_EQ(e.code(), "invalid_input");
        EXPECT_NE(std::string(e.what()).find("m9"), std::string::npos);
    }
}

TEST(OvnTopology, RemotesAreSslEndpointsInOrder) {
    const std::vector<ovn::Central> centrals{{"m1", "10.0.0.11"}, {"m2", "fd00::12"}};
    EXPECT_EQ(ovn::ssl_remotes(centrals, ovn::kSouthboundPort), "ssl:10.0.0.11:6642,ssl:[fd00::12]:6642");
    EXPECT_EQ(ovn::ssl_endpoint("10.0.0.11", ovn::kNorthboundRaftPort), "ssl:10.0.0.11:6643");
}

TEST(OvnTopology, CentralsRoundTripThroughJsonAndBadShapesAreRefused) {
    const std::vector<ovn::Central> centrals{{"m1", "10.0.0.11"}, {"m2", "10.0.0.12"}};
    EXPECT_EQ(ovn::centrals_from_json(ovn::centrals_to_json(centrals)), centrals);
    EXPECT_THROW(ovn::centrals_from_json(Json{{"m1", "x"}}), microcloud::sdk::Error);
    EXPECT_THROW(ovn::centrals_from_json(Json::array({{{"name", "m1"}}})), microcloud::sdk::Error);
}

TEST(OvnTopology, TunnelsUseTheUnderlayIpElseTheMemberAddress) {
    Json input = {{"addresses", kAddresses},
                  {"preseed", {{"systems", {{{"name", "m1"}, {"ovn_underlay_ip", "10.1.0.11"}}, {{"name", "m2"}}}}}}};
    EXPECT_EQ(ovn::encap_ip(input, "m1"), "10.1.0.11");
    EXPECT_EQ(ovn::encap_ip(input, "m2"), "10.0.0.12");
    EXPECT_THROW(ovn::encap_ip(input, "m9"), microcloud::sdk::Error);
}

}  // namespace
