// tests/unit/system/real_system_test.cpp - smoke test of the facts of this machine: shape only.
#include "fake_root.hpp"

#include "system/facts.hpp"

#include <gtest/gtest.h>

namespace microcloud::host::system {
namespace {

TEST(RealSystem, LoopbackIsPresentAndEveryInterfaceHasTheFullShape) {
    const auto interfaces = collect_interfaces();
    ASSERT_TRUE(interfaces.is_array());
    bool found_lo = false;
    for (const auto& interface : interfaces) {
        for (const char* key : {"name", "type", "state", "mac", "master", "parent", "driver"})
            EXPECT_TRUE(interface[key].is_string()) << key << " of " << interface.dump();
        EXPECT_TRUE(interface["mtu"].is_number_integer());
        EXPECT_TRUE(interface["bridge"].is_boolean());
        ASSERT_TRUE(interface["addresses"].is_array());
        for (const auto& address : interface["addresses"]) {
            EXPECT_TRUE(address["family"] == "inet" || address["family"] == "inet6");
            EXPECT_TRUE(address["prefix"].is_number_integer());
        }
        if (interface["name"] == "lo") {
            found_lo = true;
            EXPECT_EQ(interface["type"], "loopback");
        }
    }
    EXPECT_TRUE(found_lo);
}

TEST(RealSystem, FactsHaveTheDocumentedShape) {
    const auto facts = collect_facts();
    EXPECT_TRUE(facts["hostname"].is_string());
    EXPECT_FALSE(facts["hostname"].get<std::string>().empty());
    EXPECT_TRUE(facts["interfaces"].is_array());
    ASSERT_TRUE(facts["disks"].is_array());
    for (const auto& disk : facts["disks"]) {
        EXPECT_TRUE(disk["size"].is_number_integer());
        EXPECT_TRUE(disk["in_use"].is_boolean());
        EXPECT_TRUE(disk["partitions"].is_array());
    }
    const auto& route = facts["default_route"];
    EXPECT_TRUE(route.is_null() || (route["interface"].is_string() && route["subnet"].is_string()));
}

TEST(FakeSystem, HostnameComesFromProc) {
    testing::FakeRoot root;
    root.write("proc/sys/kernel/hostname", "member-7\n");
    root.write("proc/net/route", "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\n");
    root.write("proc/mounts", "");
    root.mkdir("sys/class/net");
    root.mkdir("sys/block");
    const auto facts = collect_facts(root.roots());
    EXPECT_EQ(facts["hostname"], "member-7");
    EXPECT_EQ(facts["interfaces"], nlohmann::json::array());
    EXPECT_EQ(facts["disks"], nlohmann::json::array());
    EXPECT_TRUE(facts["default_route"].is_null());
}

}  // namespace
}  // namespace microcloud::host::system
