// tests/unit/plugins/ovn/member_network_test.cpp - the member's interfaces judged as OVN uplinks
// and its global addresses, from member facts shaped as the host writes them.
#include "member_network.hpp"

#include <gtest/gtest.h>

namespace ovn = microcloud::plugins::ovn;
using microcloud::sdk::Json;

namespace {

Json address(const std::string& ip, int prefix, const std::string& scope = "global") {
    return {{"family", ip.find(':') == std::string::npos ? "inet" : "inet6"},
            {"address", ip},
            {"prefix", prefix},
            {"scope", scope}};
}

Json interface(const std::string& name, const std::string& type, const std::string& state,
               const std::string& master = "", Json addresses = Json::array()) {
    return {{"name", name},     {"type", type}, {"state", state},        {"bridge", type == "bridge"},
            {"master", master}, {"mtu", 1500},  {"addresses", addresses}};
}

struct UplinkCase {
    const char* what;
    Json fact;
    bool ovs_bridge;
    bool candidate;
    const char* why_not;
};

}  // namespace

TEST(OvnMemberNetwork, UplinkCandidatesFollowUpstreamsRule) {
    const UplinkCase cases[] = {
        {"physical, up, no address", interface("enp6s0", "physical", "up"), false, true, ""},
        {"bond", interface("bond0", "bond", "up"), false, true, ""},
        {"VLAN", interface("enp6s0.10", "vlan", "up"), false, true, ""},
        {"bridge with an address", interface("br0", "bridge", "up", "", {address("10.0.0.2", 24)}), false, true, ""},
        {"only a link-local address", interface("enp7s0", "physical", "up", "", {address("fe80::1", 64, "link")}),
         false, true, ""},
        {"down", interface("enp8s0", "physical", "down"), false, false, "it is down"},
        {"state unknown", interface("enp9s0", "physical", "unknown"), false, false,
         "it is not up (its state is \"unknown\")"},
        {"veth", interface("veth1", "veth", "up"), false, false,
         "it is a veth pair end, not a physical interface, bond, VLAN or bridge"},
        {"tun that is no OVS bridge", interface("tap0", "tun", "up"), false, false,
         "it is a tun/tap device, not a physical interface, bond, VLAN or bridge"},
        {"other", interface("dummy0", "other", "up"), false, false,
         "it is an interface of another kind, not a physical interface, bond, VLAN or bridge"},
        {"in a bridge", interface("enp10s0", "physical", "up", "br0"), false, false, "it belongs to br0"},
        {"in OVS's kernel datapath", interface("enp11s0", "physical", "up", "ovs-system"), false, false,
         "it belongs to ovs-system"},
        {"global address", interface("enp5s0", "physical", "up", "", {address("10.0.0.5", 24)}), false, false,
         "it has a global address and is not a bridge"},
        {"OVS bridge, userspace datapath", interface("br-ovn", "tun", "unknown", "", {address("10.1.0.1", 24)}), true,
         true, ""},
        {"OVS bridge, kernel datapath", interface("br-ex", "other", "unknown", "ovs-system"), true, true, ""},
        {"OVS bridge that is down", interface("br-down", "tun", "down"), true, false, "it is down"},
        {"OVS bridge inside a linux bridge", interface("br-in", "tun", "up", "br0"), true, false, "it belongs to br0"},
    };
    const std::vector<std::string> bridges = {"br-ovn", "br-ex", "br-down", "br-in"};
    for (const auto& c : cases) {
        SCOPED_TRACE(c.what);
        const Json entry = ovn::interface_entry(c.fact, bridges);
        EXPECT_EQ(entry["ovs_bridge"], c.ovs_bridge);
        EXPECT_EQ(entry["uplink_candidate"], c.candidate) << entry.dump();
        EXPECT_EQ(entry["why_not"], c.why_not);
    }
}

TEST(OvnMemberNetwork, EntryKeepsTheFactsValidationNeeds) {
    const Json fact = interface("enp5s0", "physical", "up", "",
                                {address("10.0.0.5", 24), address("fd00::5", 64), address("fe80::5", 64, "link")});
    EXPECT_EQ(ovn::interface_entry(fact, {}), (Json{{"name", "enp5s0"},
                                                    {"type", "physical"},
                                                    {"state", "up"},
                                                    {"master", ""},
                                                    {"ovs_bridge", false},
                                                    {"global_addresses", {"10.0.0.5/24", "fd00::5/64"}},
                                                    {"uplink_candidate", false},
                                                    {"why_not", "it has a global address and is not a bridge"}}));
}

TEST(OvnMemberNetwork, LeavesOutLoopbackButKeepsEveryGlobalAddress) {
    const Json facts = {
        {"interfaces",
         {interface("lo", "loopback", "unknown", "", {address("127.0.0.1", 8, "host"), address("192.0.2.9", 32)}),
          interface("enp5s0", "physical", "up", "", {address("10.0.0.5", 24), address("fe80::5", 64, "link")}),
          interface("br-ovn", "tun", "unknown", "", {address("fd00::1", 64)})}},
        {"default_route", {{"interface", "enp5s0"}}}};
    const Json network = ovn::member_network(facts, {"br-ovn"});
    ASSERT_EQ(network["interfaces"].size(), 2u);
    EXPECT_EQ(network["interfaces"][0]["name"], "enp5s0");
    EXPECT_EQ(network["interfaces"][1]["name"], "br-ovn");
    EXPECT_EQ(network["interfaces"][1]["uplink_candidate"], true);
    EXPECT_EQ(network["addresses"], (Json{"192.0.2.9", "10.0.0.5", "fd00::1"}));
}

TEST(OvnMemberNetwork, MalformedFactsGiveNothingRatherThanThrow) {
    const Json empty = {{"interfaces", Json::array()}, {"addresses", Json::array()}};
    EXPECT_EQ(ovn::member_network(Json(), {}), empty);
    EXPECT_EQ(ovn::member_network(Json{{"interfaces", "eth0"}}, {}), empty);
    EXPECT_EQ(ovn::member_network(Json{{"interfaces", {1, Json::object(), {{"name", 3}}}}}, {}), empty);
    const Json odd = {{"interfaces", {{{"name", "eth0"}, {"addresses", {{{"scope", "global"}}, 7}}}}}};
    const Json network = ovn::member_network(odd, {});
    EXPECT_EQ(network["addresses"], Json::array());
    EXPECT_EQ(network["interfaces"][0]["why_not"],
              "it is an interface of another kind, not a physical interface, bond, VLAN or bridge");
}

TEST(OvnMemberNetwork, ReportGainsInterfacesAndAddressesWithItsOwnBridges) {
    Json report = {{"present", true}, {"bridges", {"br-ovn"}}, {"warnings", Json::array()}};
    ovn::add_member_network(report, {{"interfaces", {interface("br-ovn", "tun", "unknown")}}});
    EXPECT_EQ(report["interfaces"][0]["ovs_bridge"], true);
    EXPECT_EQ(report["interfaces"][0]["uplink_candidate"], true);
    EXPECT_EQ(report["addresses"], Json::array());

    Json no_bridges = {{"present", false}};
    ovn::add_member_network(no_bridges, {{"interfaces", {interface("br-ovn", "tun", "unknown")}}});
    EXPECT_EQ(no_bridges["interfaces"][0]["ovs_bridge"], false);
    EXPECT_EQ(no_bridges["interfaces"][0]["uplink_candidate"], false);
}

TEST(OvnMemberNetwork, UnknownNetworkIsAWarning) {
    Json report = {{"present", true}, {"warnings", {"earlier"}}};
    ovn::note_member_network_unknown(report, "the host could not collect member facts: no sysfs");
    EXPECT_EQ(report["interfaces"], Json::array());
    EXPECT_EQ(report["addresses"], Json::array());
    ASSERT_EQ(report["warnings"].size(), 2u);
    EXPECT_NE(report["warnings"][1].get<std::string>().find("cannot be checked: the host could not collect"),
              std::string::npos);
}
