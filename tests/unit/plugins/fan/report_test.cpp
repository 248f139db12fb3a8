// tests/unit/plugins/fan/report_test.cpp - the fan discover report from member facts (as the
// host's member_facts service gives them) and kernel facts.
#include "fan_report.hpp"

#include <gtest/gtest.h>

namespace fan = microcloud::plugins::fan;
using microcloud::sdk::Json;

namespace {

fan::FanKernelFacts fan_kernel() {
    fan::FanKernelFacts k;
    k.release = "5.15.0-91-generic";
    k.fan_version_path = "/proc/sys/net/fan/version";
    k.fan_sysctl = true;
    k.fan_version = 3;
    k.ubuntu_kernel = true;
    k.ipip_loaded = true;
    k.checked = {"/proc/sys/net/fan/version"};
    return k;
}

fan::FanKernelFacts debian_kernel() {
    fan::FanKernelFacts k;
    k.release = "6.1.0-18-amd64";
    k.fan_version_path = "/proc/sys/net/fan/version";
    return k;
}

Json facts_with_route(const std::string& address, int prefix, const std::string& subnet) {
    return {
        {"hostname", "m1"},
        {"interfaces",
         {{{"name", "eth0"},
           {"addresses",
            {{{"family", "inet"}, {"address", address}, {"prefix", prefix}, {"scope", "global"}},
             {{"family", "inet6"}, {"address", "fe80::1"}, {"prefix", 64}, {"scope", "link"}}}}}}},
        {"disks", Json::array()},
        {"default_route",
         {{"interface", "eth0"}, {"gateway", "192.0.2.1"}, {"metric", 0}, {"address", address}, {"subnet", subnet}}}};
}

}  // namespace

TEST(FanReport, UsableWithDefaultRouteAndFanKernel) {
    Json report = fan::fan_report(facts_with_route("192.0.2.2", 24, "192.0.2.0/24"), fan_kernel());
    EXPECT_EQ(report["component"], "Ubuntu fan");
    EXPECT_EQ(report["present"], true) << report.dump(2);
    EXPECT_TRUE(report["reasons"].empty());
    EXPECT_TRUE(report["warnings"].empty());
    EXPECT_EQ(
        report["default_route"],
        (Json{{"interface", "eth0"}, {"gateway", "192.0.2.1"}, {"address", "192.0.2.2"}, {"subnet", "192.0.2.0/24"}}));
    EXPECT_EQ(report["underlay_subnet"], "192.0.2.0/24");
    EXPECT_EQ(report["kernel"]["supported"], true);
    EXPECT_EQ(report["kernel"]["fan_version"], 3);
}

TEST(FanReport, OtherSubnetSizesBecomeSlash16) {
    Json report = fan::fan_report(facts_with_route("10.1.20.5", 20, "10.1.16.0/20"), fan_kernel());
    EXPECT_EQ(report["underlay_subnet"], "10.1.0.0/16");
    EXPECT_TRUE(report["warnings"].empty());
}

TEST(FanReport, AddressOutsideTheUnderlayIsAWarning) {
    Json report = fan::fan_report(facts_with_route("10.5.6.7", 8, "10.0.0.0/8"), fan_kernel());
    EXPECT_EQ(report["present"], true);
    EXPECT_EQ(report["underlay_subnet"], "10.0.0.0/16");
    ASSERT_EQ(report["warnings"].size(), 1u);
    EXPECT_NE(report["warnings"][0].get<std::string>().find("10.5.6.7 lies outside the fan underlay 10.0.0.0/16"),
              std::string::npos);
}

TEST(FanReport, NoDefaultRoute) {
    Json facts = facts_with_route("192.0.2.2", 24, "192.0.2.0/24");
    facts["default_route"] = nullptr;
    Json report = fan::fan_report(facts, fan_kernel());
    EXPECT_EQ(report["present"], false);
    ASSERT_EQ(report["reasons"].size(), 1u);
    EXPECT_EQ(report["reasons"][0].get<std::string>().rfind("Fan networking is not usable: ", 0), 0u);
    EXPECT_NE(report["reasons"][0].get<std::string>().find("no IPv4 default route"), std::string::npos);
    EXPECT_TRUE(report["default_route"].is_null());
    EXPECT_TRUE(report["underlay_subnet"].is_null());

    facts.erase("default_route");
    EXPECT_EQ(fan::fan_report(facts, fan_kernel())["present"], false);
}

TEST(FanReport, KernelWithoutFan) {
    Json report = fan::fan_report(facts_with_route("192.0.2.2", 24, "192.0.2.0/24"), debian_kernel());
    EXPECT_EQ(report["present"], false);
    ASSERT_EQ(report["reasons"].size(), 1u);
    EXPECT_NE(
        report["reasons"][0].get<std::string>().find("Fan networking is not usable: this kernel (6.1.0-18-amd64)"),
        std::string::npos);
    EXPECT_EQ(report["underlay_subnet"], "192.0.2.0/24");  // still reported as a fact
    EXPECT_EQ(report["kernel"]["supported"], false);
}

TEST(FanReport, BothProblemsAreListed) {
    Json report = fan::fan_report(Json{{"default_route", nullptr}}, debian_kernel());
    EXPECT_EQ(report["reasons"].size(), 2u);
}

TEST(FanReport, DefaultRouteInterfaceWithoutIpv4) {
    Json facts = facts_with_route("192.0.2.2", 24, "192.0.2.0/24");
    facts["default_route"]["address"] = "";
    facts["default_route"]["subnet"] = "";
    facts["interfaces"][0]["addresses"].erase(0);
    Json report = fan::fan_report(facts, fan_kernel());
    EXPECT_EQ(report["present"], false);
    EXPECT_NE(report["reasons"][0].get<std::string>().find("eth0 has no IPv4 address"), std::string::npos);
}

TEST(FanReport, SeveralIpv4AddressesAreAmbiguous) {
    Json facts = facts_with_route("192.0.2.2", 24, "192.0.2.0/24");
    facts["interfaces"][0]["addresses"].push_back({{"family", "inet"}, {"address", "198.51.100.2"}, {"prefix", 24}});
    Json report = fan::fan_report(facts, fan_kernel());
    EXPECT_EQ(report["present"], false);
    EXPECT_NE(
        report["reasons"][0].get<std::string>().find("more than one IPv4 address (192.0.2.2/24, 198.51.100.2/24)"),
        std::string::npos);
}

TEST(FanReport, HostFactsUnavailable) {
    Json report = fan::fan_report(nullptr, fan_kernel(), "the host does not offer the member_facts service");
    EXPECT_EQ(report["present"], false);
    EXPECT_NE(report["reasons"][0].get<std::string>().find("could not report this machine's network facts"),
              std::string::npos);
}
