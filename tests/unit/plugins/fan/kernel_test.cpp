// tests/unit/plugins/fan/kernel_test.cpp - the kernel's Ubuntu fan support, read from fake
// /proc and /sys trees and from this machine's.
#include "fan_kernel.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

namespace fan = microcloud::plugins::fan;
using microcloud::testing::TempDir;

namespace {

// A fake kernel: /proc/sys/kernel/{osrelease,version}, optionally the fan sysctl and ipip.
struct FakeKernel {
    TempDir root;
    FakeKernel(const std::string& release, const std::string& version, bool fan_sysctl, bool ipip) {
        root.write("proc/sys/kernel/osrelease", release + "\n");
        root.write("proc/sys/kernel/version", version + "\n");
        root.mkdir("sys/module");
        if (fan_sysctl) root.write("proc/sys/net/fan/version", "3\n");
        if (ipip) root.mkdir("sys/module/ipip");
    }
    fan::FanKernelFacts facts() const { return fan::read_fan_kernel_facts(root.path() / "proc", root.path() / "sys"); }
};

const std::string kUbuntuVersion = "#101-Ubuntu SMP PREEMPT_DYNAMIC Tue Nov 14 13:30:08 UTC 2023";
const std::string kDebianVersion = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)";

}  // namespace

TEST(FanKernel, UbuntuKernelWithFanSysctl) {
    FakeKernel kernel("5.15.0-91-generic", kUbuntuVersion, true, true);
    auto facts = kernel.facts();
    EXPECT_EQ(facts.release, "5.15.0-91-generic");
    EXPECT_TRUE(facts.fan_sysctl);
    EXPECT_EQ(facts.fan_version, 3);
    EXPECT_TRUE(facts.ubuntu_kernel);
    EXPECT_TRUE(facts.ipip_loaded);
    EXPECT_EQ(facts.checked.size(), 4u);
    auto verdict = fan::judge_fan_kernel(facts);
    EXPECT_TRUE(verdict.supported);
    EXPECT_TRUE(verdict.warnings.empty());
}

TEST(FanKernel, UbuntuKernelBeforeIpipLoadsIsAssumedWithAWarning) {
    FakeKernel kernel("6.8.0-31-generic", kUbuntuVersion, false, false);
    auto verdict = fan::judge_fan_kernel(kernel.facts());
    EXPECT_TRUE(verdict.supported);
    ASSERT_EQ(verdict.warnings.size(), 1u);
    EXPECT_NE(verdict.warnings[0].find("once the ipip module is loaded"), std::string::npos);
}

TEST(FanKernel, UbuntuKernelWithoutThePatch) {
    FakeKernel kernel("6.14.0-1-generic", kUbuntuVersion, false, true);
    auto verdict = fan::judge_fan_kernel(kernel.facts());
    EXPECT_FALSE(verdict.supported);
    EXPECT_NE(verdict.reason.find("ipip module is loaded but"), std::string::npos) << verdict.reason;
}

TEST(FanKernel, OtherKernelsLackIt) {
    FakeKernel kernel("6.1.0-18-amd64", kDebianVersion, false, false);
    auto facts = kernel.facts();
    EXPECT_FALSE(facts.fan_sysctl);
    EXPECT_FALSE(facts.fan_version);
    EXPECT_FALSE(facts.ubuntu_kernel);
    auto verdict = fan::judge_fan_kernel(facts);
    EXPECT_FALSE(verdict.supported);
    EXPECT_NE(verdict.reason.find("This kernel (6.1.0-18-amd64) has no Ubuntu fan support"), std::string::npos)
        << verdict.reason;
    EXPECT_NE(verdict.reason.find("/sys/net/fan/version is absent"), std::string::npos);
}

TEST(FanKernel, PatchedNonUbuntuKernelCounts) {
    FakeKernel kernel("6.6.1-custom", kDebianVersion, true, true);
    EXPECT_TRUE(fan::judge_fan_kernel(kernel.facts()).supported);
}

TEST(FanKernel, MissingProcIsHandled) {
    TempDir empty;
    auto facts = fan::read_fan_kernel_facts(empty.path() / "proc", empty.path() / "sys");
    EXPECT_EQ(facts.release, "");
    auto verdict = fan::judge_fan_kernel(facts);
    EXPECT_FALSE(verdict.supported);
    EXPECT_EQ(verdict.reason.rfind("This kernel has no Ubuntu fan support", 0), 0u) << verdict.reason;
}

TEST(FanKernel, ThisMachineIsConsistent) {
    auto facts = fan::read_fan_kernel_facts("/proc", "/sys");
    EXPECT_FALSE(facts.release.empty());
    auto verdict = fan::judge_fan_kernel(facts);
    if (facts.fan_sysctl) {
        EXPECT_TRUE(verdict.supported);
    }
    if (!facts.fan_sysctl && !facts.ubuntu_kernel) {
        EXPECT_FALSE(verdict.supported);
    }
    EXPECT_EQ(verdict.supported, verdict.reason.empty());
}
