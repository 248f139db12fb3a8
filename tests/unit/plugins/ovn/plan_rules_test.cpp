// tests/unit/plugins/ovn/plan_rules_test.cpp - the OVN validate rules over discovery reports
// shaped as the discover hook writes them (member_network.hpp builds their interfaces here).
#include "member_network.hpp"
#include "ovn_plan_rules.hpp"

#include <gtest/gtest.h>

namespace ovn = microcloud::plugins::ovn;
using microcloud::sdk::Error;
using microcloud::sdk::Json;

namespace {

Json address(const std::string& ip, int prefix) {
    return {{"family", ip.find(':') == std::string::npos ? "inet" : "inet6"},
            {"address", ip},
            {"prefix", prefix},
            {"scope", "global"}};
}

Json interface(const std::string& name, const std::string& type, const std::string& state,
               const std::string& master = "", Json addresses = Json::array()) {
    return {{"name", name}, {"type", type}, {"state", state}, {"master", master}, {"addresses", addresses}};
}

// A member's report: OVN present, its network as member_network() builds it from these facts.
Json present_report(int n) {
    const std::string host = "10.0.0." + std::to_string(n);
    const Json facts = {
        {"interfaces",
         {interface("lo", "loopback", "unknown"), interface("enp5s0", "physical", "up", "", {address(host, 24)}),
          interface("enp6s0", "physical", "up"), interface("enp7s0", "physical", "down"),
          interface("enp8s0", "physical", "up", "br0"), interface("veth1", "veth", "up"),
          interface("br-ovn", "tun", "unknown", "", {address("10.30.0." + std::to_string(n), 24)}),
          interface("underlay0", "physical", "up", "", {address("fd00::" + std::to_string(n), 64)})}}};
    Json report = {{"component", "OVN"},
                   {"present", true},
                   {"reasons", Json::array()},
                   {"warnings", Json::array()},
                   {"versions",
                    {{"openvswitch", {{"version", "3.1.0"}, {"supported", true}}},
                     {"ovn", {{"version", "23.03.1"}, {"supported", true}}}}},
                   {"bridges", {"br-ovn"}}};
    ovn::add_member_network(report, facts);
    return report;
}

Json plan() {
    Json systems = Json::array();
    Json reports = Json::object();
    Json addresses = Json::object();
    for (int n = 1; n <= 3; ++n) {
        const std::string name = "m" + std::to_string(n);
        systems.push_back({{"name", name}, {"ovn_uplink_interface", "enp6s0"}});
        reports[name] = present_report(n);
        addresses[name] = "10.0.0." + std::to_string(n);
    }
    const Json section = {{"ipv4_gateway", "10.20.0.1/24"}, {"ipv4_range", "10.20.0.100-10.20.0.200"}};
    return Json{{"members", {"m1", "m2", "m3"}},
                {"addresses", addresses},
                {"joining", {"m2", "m3"}},
                {"bootstrap", true},
                {"config", section},
                {"preseed", {{"systems", systems}, {"ovn", section}}},
                {"discovery", reports},
                {"member", {{"name", "m1"}, {"state_dir", "/var/lib/microcloud"}}}};
}

Json of_severity(const Json& problems, const std::string& severity) {
    Json out = Json::array();
    for (const Json& p : problems)
        if (p.value("severity", "") == severity) out.push_back(p);
    return out;
}

// The one error of `input`, checked to name `field` and carry exactly `message`.
void expect_one_error(const Json& input, const std::string& field, const std::string& message) {
    const Json found = of_severity(ovn::ovn_plan_problems(input), "error");
    ASSERT_EQ(found.size(), 1u) << found.dump(2);
    EXPECT_EQ(found[0].at("field"), field);
    EXPECT_EQ(found[0].at("message"), message);
}

// The one error of `input`, checked to name `field` and hold `words`.
void expect_one_error_with(const Json& input, const std::string& field, const std::string& words) {
    const Json found = of_severity(ovn::ovn_plan_problems(input), "error");
    ASSERT_EQ(found.size(), 1u) << found.dump(2);
    EXPECT_EQ(found[0].at("field"), field);
    EXPECT_NE(found[0].value("message", "").find(words), std::string::npos) << found[0].dump();
}

const std::string kRule =
    "; an uplink must be up, not part of another device, and have no global address unless it is a bridge";

}  // namespace

TEST(OvnPlanRules, ThreeReadyMembersAreFine) {
    EXPECT_EQ(ovn::ovn_plan_problems(plan()), Json::array());
}

TEST(OvnPlanRules, NoUplinkAnywhereMeansOvnTakesNoPart) {
    Json input = plan();
    input["config"] = Json::object();
    input["preseed"].erase("ovn");
    for (auto& system : input["preseed"]["systems"]) system.erase("ovn_uplink_interface");
    try {
        ovn::ovn_plan_problems(input);
        FAIL() << "expected unsupported";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "unsupported");
        EXPECT_EQ(std::string(e.what()),
                  "the preseed gives OVN no uplink (no ovn section and no systems[].ovn_uplink_interface), so OVN "
                  "takes no part");
    }
    input["preseed"]["ovn"] = nullptr;  // `ovn:` with nothing under it
    EXPECT_TRUE(ovn::ovn_not_taking_part(input));
    input.erase("preseed");
    EXPECT_TRUE(ovn::ovn_not_taking_part(input));
}

TEST(OvnPlanRules, EitherTheSectionOrAnUplinkMakesOvnTakePart) {
    Json section_only = plan();
    for (auto& system : section_only["preseed"]["systems"]) system.erase("ovn_uplink_interface");
    EXPECT_FALSE(ovn::ovn_not_taking_part(section_only));
    EXPECT_EQ(ovn::ovn_plan_problems(section_only), Json::array());

    Json uplink_only = plan();
    uplink_only["config"] = Json::object();
    uplink_only["preseed"].erase("ovn");
    EXPECT_FALSE(ovn::ovn_not_taking_part(uplink_only));
    EXPECT_EQ(ovn::ovn_plan_problems(uplink_only), Json::array());
}

TEST(OvnPlanRules, MissingProgramsNameThePackagesAndTheWayOut) {
    Json input = plan();
    auto& m2 = input["discovery"]["m2"];
    m2["present"] = false;
    m2["reasons"] = {
        "ovn-northd is not installed: it is in neither PATH nor the standard sbin/bin directories (Debian package "
        "ovn-central).",
        "ovn-controller is not installed: it is in neither PATH nor the standard sbin/bin directories (Debian "
        "package ovn-host)."};
    expect_one_error(input, "systems[m2]",
                     "OVN is not usable on m2: ovn-northd is not installed: it is in neither PATH nor the standard "
                     "sbin/bin directories (Debian package ovn-central). ovn-controller is not installed: it is in "
                     "neither PATH nor the standard sbin/bin directories (Debian package ovn-host); install "
                     "openvswitch-switch, ovn-central and ovn-host there, or leave OVN out with --disable-plugin ovn "
                     "on every member");
}

TEST(OvnPlanRules, UnsupportedVersionIsReportedOnceThroughPresent) {
    Json input = plan();
    auto& m3 = input["discovery"]["m3"];
    m3["present"] = false;
    m3["versions"]["openvswitch"] = {{"version", "2.13.8"}, {"minimum", "2.17"}, {"supported", false}};
    m3["reasons"] = {"Open vSwitch 2.13.8 is older than the oldest supported version 2.17."};
    expect_one_error_with(input, "systems[m3]",
                          "OVN is not usable on m3: Open vSwitch 2.13.8 is older than the oldest supported version "
                          "2.17; install");
}

TEST(OvnPlanRules, FailedDiscoveryGivesItsMessage) {
    Json input = plan();
    input["discovery"]["m2"] = {{"error", {{"code", "unreachable"}, {"message", "m2 did not answer"}}}};
    expect_one_error(input, "systems[m2]",
                     "OVN's discovery failed on m2: m2 did not answer; fix that, or leave OVN out with "
                     "--disable-plugin ovn on every member");
}

TEST(OvnPlanRules, OpenVSwitchMustRunWhereOvnJoins) {
    Json input = plan();
    const auto daemon = [](const std::string& pidfile, bool running) {
        return Json{{"pidfile", pidfile}, {"pid", 4242}, {"running", running}};
    };
    input["discovery"]["m2"]["daemons"] = {{"ovsdb-server", daemon("/run/openvswitch/ovsdb-server.pid", true)},
                                           {"ovs-vswitchd", daemon("/run/openvswitch/ovs-vswitchd.pid", false)},
                                           {"ovn-controller", daemon("/run/ovn/ovn-controller.pid", false)}};
    expect_one_error(input, "systems[m2]",
                     "Open vSwitch is not running on m2: no live ovs-vswitchd (pid file "
                     "/run/openvswitch/ovs-vswitchd.pid); start Open vSwitch there (the openvswitch-switch service), "
                     "or leave OVN out with --disable-plugin ovn on every member");
    // OVN's own daemons are this plugin's to start: their state is no problem.
    input["discovery"]["m2"]["daemons"]["ovs-vswitchd"]["running"] = true;
    EXPECT_EQ(of_severity(ovn::ovn_plan_problems(input), "error"), Json::array());
}

TEST(OvnPlanRules, MembersWithoutAReportAreNotJudged) {
    Json input = plan();
    input["discovery"] = {{"m1", present_report(1)}};
    input["preseed"]["systems"][1]["ovn_uplink_interface"] = "nope";
    EXPECT_EQ(ovn::ovn_plan_problems(input), Json::array());
}

TEST(OvnPlanRules, UplinkMustExistAndBeACandidate) {
    struct Case {
        const char* uplink;
        std::string message;  // "" when it is accepted
    };
    const Case cases[] = {
        {"enp6s0", ""},
        {"br-ovn", ""},  // an OVS bridge: kernel type tun, state unknown, may hold an address
        {"nope",
         "Interface \"nope\" was not found on m3; its interfaces: enp5s0, enp6s0, enp7s0, enp8s0, veth1, "
         "br-ovn, underlay0"},
        {"lo",
         "Interface \"lo\" was not found on m3; its interfaces: enp5s0, enp6s0, enp7s0, enp8s0, veth1, br-ovn, "
         "underlay0"},
        {"enp7s0", "Interface \"enp7s0\" on m3 is down" + kRule},
        {"enp8s0", "Interface \"enp8s0\" on m3 belongs to br0" + kRule},
        {"enp5s0", "Interface \"enp5s0\" on m3 has a global address" + kRule},
        {"veth1",
         "Interface \"veth1\" on m3 is a veth pair end; an uplink must be a physical interface, bond, VLAN "
         "or bridge"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.uplink);
        Json input = plan();
        input["preseed"]["systems"][2]["ovn_uplink_interface"] = c.uplink;
        if (c.message.empty())
            EXPECT_EQ(ovn::ovn_plan_problems(input), Json::array());
        else
            expect_one_error(input, "systems[m3].ovn_uplink_interface", c.message);
    }
}

TEST(OvnPlanRules, UplinkStatesOtherThanDownAreNamed) {
    Json input = plan();
    input["discovery"]["m1"]["interfaces"][1]["state"] = "unknown";  // enp6s0, no OVS bridge
    expect_one_error(input, "systems[m1].ovn_uplink_interface",
                     "Interface \"enp6s0\" on m1 is not up (its state is \"unknown\")" + kRule);
}

TEST(OvnPlanRules, TunThatIsNoOvsBridgeIsRefused) {
    Json input = plan();
    input["discovery"]["m2"]["interfaces"][5]["ovs_bridge"] = false;  // br-ovn, as if OVS did not know it
    input["preseed"]["systems"][1]["ovn_uplink_interface"] = "br-ovn";
    expect_one_error(input, "systems[m2].ovn_uplink_interface",
                     "Interface \"br-ovn\" on m2 is a tun/tap device; an uplink must be a physical interface, bond, "
                     "VLAN or bridge");
}

TEST(OvnPlanRules, MembersWithoutASystemsEntryHaveNoUplinkToJudge) {
    Json input = plan();
    input["members"] = {"m0", "m1", "m2", "m3"};  // m0 leads a cluster that m1..m3 join
    input["discovery"]["m0"] = present_report(9);
    input["discovery"]["m0"]["interfaces"] = Json::array();
    EXPECT_EQ(ovn::ovn_plan_problems(input), Json::array());
}

TEST(OvnPlanRules, UnderlayIpMustBeOneOfTheMembersAddresses) {
    Json input = plan();
    for (int n = 0; n < 3; ++n)
        input["preseed"]["systems"][n]["ovn_underlay_ip"] = "fd00:0:0::" + std::to_string(n + 1);  // other spelling
    EXPECT_EQ(ovn::ovn_plan_problems(input), Json::array());
    input["preseed"]["systems"][1]["ovn_underlay_ip"] = "10.0.0.5";
    expect_one_error(input, "systems[m2].ovn_underlay_ip",
                     "No available interface found for OVN underlay IP \"10.0.0.5\" on m2; its global addresses: "
                     "10.0.0.2, 10.30.0.2, fd00::2");
    input["discovery"]["m2"]["addresses"] = Json::array();
    expect_one_error(input, "systems[m2].ovn_underlay_ip",
                     "No available interface found for OVN underlay IP \"10.0.0.5\" on m2; its global addresses: none");
}

TEST(OvnPlanRules, RangeMustLeaveOutTheMembersAndTheirUnderlays) {
    const std::string accepted =
        "; choose a range inside the gateway's subnet 10.20.0.1/24 that leaves out the gateway, the members' "
        "addresses and their OVN underlay IPs";
    Json input = plan();
    input["addresses"]["m2"] = "10.20.0.150";  // its MicroCloud address, not in the preseed
    expect_one_error(input, "ovn.ipv4_range",
                     "Invalid IPv4 range \"10.20.0.100-10.20.0.200\": it includes 10.20.0.150, the MicroCloud "
                     "address of m2" +
                         accepted);

    input = plan();
    input["discovery"]["m3"]["addresses"].push_back("10.20.0.120");
    input["preseed"]["systems"][2]["ovn_underlay_ip"] = "10.20.0.120";
    expect_one_error(input, "ovn.ipv4_range",
                     "Invalid IPv4 range \"10.20.0.100-10.20.0.200\": it includes 10.20.0.120, the OVN underlay IP "
                     "of m3" +
                         accepted);
}

TEST(OvnPlanRules, RangeFromTheConfigIsPreferredAndIpv6AddressesAreIgnored) {
    Json input = plan();
    input["config"]["ipv4_range"] = "10.0.0.2-10.0.0.9";  // the hook's config is the section it was given
    input["addresses"]["m1"] = "fd00::1";
    const Json found = of_severity(ovn::ovn_plan_problems(input), "error");
    ASSERT_EQ(found.size(), 2u) << found.dump(2);  // m2 and m3
    EXPECT_NE(found[0]["message"].get<std::string>().find("10.0.0.2, the MicroCloud address of m2"), std::string::npos);
}

TEST(OvnPlanRules, WhatTheHostChecksIsNotRepeated) {
    Json input = plan();
    for (Json* section : {&input["config"], &input["preseed"]["ovn"]}) {
        (*section)["ipv4_gateway"] = "10.20.0.0/24";  // the network address: the host refuses it
        (*section)["ipv4_range"] = "not-a-range";
        (*section)["ipv6_gateway"] = "fd00::1";
        (*section)["dns_servers"] = "1.1.1.1,nope";
    }
    EXPECT_EQ(ovn::ovn_plan_problems(input), Json::array());
}

TEST(OvnPlanRules, FewerThanThreeMembersIsAWarning) {
    for (int members : {1, 2}) {
        SCOPED_TRACE(members);
        Json input = plan();
        input["members"].erase(input["members"].begin() + members, input["members"].end());
        const Json problems = ovn::ovn_plan_problems(input);
        ASSERT_EQ(problems.size(), 1u) << problems.dump(2);
        EXPECT_EQ(problems[0]["severity"], "warning");
        EXPECT_EQ(problems[0]["field"], "members");
        EXPECT_EQ(problems[0]["message"],
                  "OVN's central databases are not highly available with " + std::to_string(members) +
                      (members == 1 ? " member" : " members") +
                      ": their raft cluster needs 3 members or more to survive the loss of one");
    }
}

TEST(OvnPlanRules, MalformedValuesAreSkippedRatherThanThrown) {
    Json input = plan();
    input["preseed"]["systems"][0]["ovn_uplink_interface"] = nullptr;
    input["preseed"]["systems"][1]["ovn_underlay_ip"] = 7;
    input["addresses"]["m3"] = 3;
    input["discovery"]["m2"]["interfaces"] = "broken";
    const Json found = of_severity(ovn::ovn_plan_problems(input), "error");
    ASSERT_EQ(found.size(), 1u) << found.dump(2);
    EXPECT_EQ(found[0]["message"], "Interface \"enp6s0\" was not found on m2; its interfaces: none");
}
