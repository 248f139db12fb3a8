// tests/unit/plugins/fan/join_test.cpp - the join results (lxdfan0's underlay from the default
// route, the kernel check) and the teardown answer.
#include "fan_join.hpp"

#include <gtest/gtest.h>

#include <string>

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
    return k;
}

fan::FanKernelFacts debian_kernel() {
    fan::FanKernelFacts k;
    k.release = "6.1.0-18-amd64";
    k.fan_version_path = "/proc/sys/net/fan/version";
    k.ipip_loaded = true;
    return k;
}

Json facts_with_subnet(const std::string& address, const std::string& subnet) {
    return {
        {"hostname", "m1"},
        {"default_route",
         {{"interface", "eth0"}, {"gateway", "192.0.2.1"}, {"metric", 0}, {"address", address}, {"subnet", subnet}}}};
}

std::string underlay_for(const std::string& address, const std::string& subnet) {
    return fan::fan_bootstrap_result("m1", facts_with_subnet(address, subnet), fan_kernel())["underlay_subnet"];
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST(FanJoin, BootstrapPublishesNetworkAndUnderlay) {
    Json result = fan::fan_bootstrap_result("m1", facts_with_subnet("192.0.2.5", "192.0.2.0/24"), fan_kernel());
    EXPECT_EQ(result["network"], "lxdfan0");
    EXPECT_EQ(result["underlay_subnet"], "192.0.2.0/24");
    EXPECT_EQ(result["default_route"], (Json{{"interface", "eth0"}, {"subnet", "192.0.2.0/24"}}));
    EXPECT_EQ(result["kernel"]["supported"], true);
    EXPECT_EQ(result["kernel"]["fan_version"], 3);
    EXPECT_TRUE(result["warnings"].empty());
}

TEST(FanJoin, UnderlayFollowsUpstreamsRule) {
    EXPECT_EQ(underlay_for("192.0.2.5", "192.0.2.0/24"), "192.0.2.0/24");
    EXPECT_EQ(underlay_for("10.1.20.5", "10.1.16.0/20"), "10.1.0.0/16");
    EXPECT_EQ(underlay_for("172.16.9.9", "172.16.0.0/16"), "172.16.0.0/16");
    EXPECT_EQ(underlay_for("10.5.6.7", "10.0.0.0/8"), "10.0.0.0/16");
    EXPECT_EQ(underlay_for("192.0.2.5", "192.0.2.5/24"), "192.0.2.0/24");  // host bits are cleared
}

TEST(FanJoin, NoDefaultRouteNamesTheMemberAndWhatIsMissing) {
    Json facts = facts_with_subnet("192.0.2.5", "192.0.2.0/24");
    facts["default_route"] = nullptr;
    try {
        fan::fan_bootstrap_result("m1", facts, fan_kernel());
        FAIL() << "no error";
    } catch (const microcloud::sdk::Error& e) {
        EXPECT_EQ(e.code(), "no_default_route");
        EXPECT_TRUE(has(e.what(), "fan on m1: the member facts have no IPv4 default route")) << e.what();
        EXPECT_TRUE(has(e.what(), "an IPv4 default route is needed on m1")) << e.what();
        EXPECT_EQ(e.details()["member"], "m1");
    }
    facts.erase("default_route");
    EXPECT_THROW(fan::fan_bootstrap_result("m1", facts, fan_kernel()), microcloud::sdk::Error);
}

TEST(FanJoin, UnreadableSubnetIsAnError) {
    try {
        fan::fan_bootstrap_result("m1", facts_with_subnet("", ""), fan_kernel());
        FAIL() << "no error";
    } catch (const microcloud::sdk::Error& e) {
        EXPECT_EQ(e.code(), "invalid_default_route");
        EXPECT_TRUE(has(e.what(), "fan on m1: the default route's subnet \"\" (interface eth0) is not an IPv4 prefix"))
            << e.what();
    }
}

TEST(FanJoin, KernelWithoutFanStopsBootstrapAndJoin) {
    for (int bootstrap = 0; bootstrap < 2; ++bootstrap) {
        try {
            if (bootstrap)
                fan::fan_bootstrap_result("m2", facts_with_subnet("192.0.2.5", "192.0.2.0/24"), debian_kernel());
            else
                fan::fan_member_join_result("m2", debian_kernel());
            FAIL() << "no error";
        } catch (const microcloud::sdk::Error& e) {
            EXPECT_EQ(e.code(), "fan_unsupported");
            EXPECT_TRUE(has(e.what(), "fan on m2: This kernel (6.1.0-18-amd64) has no Ubuntu fan support")) << e.what();
            EXPECT_TRUE(has(e.what(), "--disable-plugin fan")) << e.what();
        }
    }
}

TEST(FanJoin, JoiningMemberOnlyChecksItsKernel) {
    Json result = fan::fan_member_join_result("m2", fan_kernel());
    EXPECT_EQ(result["network"], "lxdfan0");
    EXPECT_FALSE(result.contains("underlay_subnet"));
    EXPECT_EQ(result["kernel"]["supported"], true);
}

TEST(FanJoin, UbuntuKernelWithoutIpipIsAcceptedWithAWarning) {
    fan::FanKernelFacts k = debian_kernel();
    k.ubuntu_kernel = true;
    k.ipip_loaded = false;
    Json result = fan::fan_member_join_result("m2", k);
    ASSERT_EQ(result["warnings"].size(), 1u);
    EXPECT_TRUE(has(result["warnings"][0].get<std::string>(), "assumed to carry the fan patches"));
}

TEST(FanTeardown, NothingToUndoOnRollback) {
    Json rollback = fan::fan_teardown_result(
        {{"mode", "rollback"}, {"force", false}, {"member", {{"name", "m1"}, {"state_dir", "/x"}}}});
    EXPECT_EQ(rollback["mode"], "rollback");
    EXPECT_EQ(rollback["undone"], Json::array());
    EXPECT_TRUE(has(rollback["message"].get<std::string>(), "nothing to undo")) << rollback.dump();
}

TEST(FanTeardown, RemoveAndLeaveAreNotTheFansToDo) {
    for (const char* mode : {"remove", "leave"}) {
        try {
            fan::fan_teardown_result({{"mode", mode}, {"remove", "m3"}, {"member", {{"name", "m3"}}}});
            FAIL() << mode << " answered";
        } catch (const microcloud::sdk::Error& e) {
            EXPECT_EQ(e.code(), "unsupported");  // the host passes over it
        }
    }
}

TEST(FanTeardown, UnknownModeIsRejected) {
    EXPECT_THROW(fan::fan_teardown_result({{"mode", "explode"}}), microcloud::sdk::Error);
}
