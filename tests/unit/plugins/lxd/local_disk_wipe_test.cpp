// tests/unit/plugins/lxd/local_disk_wipe_test.cpp - when a member's join wipes its local disk, and
// when it refuses.
#include "local_disk_wipe.hpp"
#include "fake_host.hpp"

#include <gtest/gtest.h>

namespace microcloud::plugins::lxd {
namespace {

using sdk::Json;
using Argv = std::vector<std::string>;

Json disk(const std::string& name, bool in_use = false, const std::string& why = "", Json partitions = Json::array()) {
    return Json{{"name", name},     {"path", "/dev/" + name}, {"id", "/dev/disk/by-id/virtio-" + name},
                {"in_use", in_use}, {"in_use_reason", why},   {"partitions", std::move(partitions)}};
}

Json partition(const std::string& name, bool in_use = false, const std::string& why = "") {
    return Json{{"name", name}, {"path", "/dev/" + name}, {"in_use", in_use}, {"in_use_reason", why}};
}

TEST(LxdLocalDiskWipe, FreeDisksAreWipedByAnyOfTheirPaths) {
    const Json disks = Json::array({disk("vdb"), disk("loop3")});
    for (const std::string path : {"/dev/vdb", "/dev/disk/by-id/virtio-vdb"}) {
        const WipePlan plan = plan_wipe(disks, path);
        EXPECT_EQ(plan.refusal, "") << path;
        EXPECT_EQ(plan.commands, (std::vector<Argv>{{"wipefs", "-a", path}})) << path;
    }
    // Unused partitions are wiped first, then the disk.
    const WipePlan plan =
        plan_wipe(Json::array({disk("vdc", false, "", {partition("vdc1"), partition("vdc2")})}), "/dev/vdc");
    EXPECT_EQ(plan.refusal, "");
    EXPECT_EQ(plan.commands,
              (std::vector<Argv>{
                  {"wipefs", "-a", "/dev/vdc1"}, {"wipefs", "-a", "/dev/vdc2"}, {"wipefs", "-a", "/dev/vdc"}}));
}

TEST(LxdLocalDiskWipe, RefusesDisksInUseOrUnknown) {
    struct Case {
        Json disks;
        std::string path;
        std::string refusal;
    };
    const Case cases[] = {
        {Json::array({disk("vda", true, "mounted at /")}), "/dev/vda", "it is in use (mounted at /)"},
        {Json::array({disk("vdb", true)}), "/dev/vdb", "it is in use (in use)"},
        {Json::array({disk("vdc", true, "partition vdc1 is in use: mounted at /mnt",
                           {partition("vdc1", true, "mounted at /mnt"), partition("vdc2")})}),
         "/dev/vdc", "its partition /dev/vdc1 is in use (mounted at /mnt)"},
        {Json::array({disk("vdd", false, "", {partition("vdd1", true, "used as swap")})}), "/dev/vdd",
         "its partition /dev/vdd1 is in use (used as swap)"},
        {Json::array({disk("vde")}), "/dev/sdz",
         "it is not among this member's disks, so whether it is in use is unknown"},
        {Json(), "/dev/vde", "it is not among this member's disks, so whether it is in use is unknown"},
    };
    for (const Case& c : cases) {
        const WipePlan plan = plan_wipe(c.disks, c.path);
        EXPECT_EQ(plan.refusal, c.refusal) << c.path;
        EXPECT_TRUE(plan.commands.empty()) << c.path;
    }
}

TEST(LxdLocalDiskWipe, RunsWipefsThroughTheHostAndSaysWhatFailed) {
    test::FakeHost host;
    host.set_member_facts({{"disks", Json::array({disk("loop3"), disk("vda", true, "mounted at /")})}});
    host.answer_command("wipefs -a /dev/loop3", 0, "/dev/loop3: 4 bytes were erased at offset 0x00000000 (xfs)\n");
    auto ctx = host.context();
    wipe_local_disk(ctx, "m1", "/dev/loop3");
    EXPECT_EQ(host.commands, std::vector<std::string>{"wipefs -a /dev/loop3"});

    try {
        wipe_local_disk(ctx, "m1", "/dev/vda");
        FAIL() << "a mounted disk was wiped";
    } catch (const sdk::Error& e) {
        EXPECT_EQ(e.code(), "wipe_refused");
        EXPECT_STREQ(e.what(), "lxd: refusing to wipe the local disk /dev/vda of m1: it is in use (mounted at /)");
        EXPECT_EQ(e.details(),
                  (Json{{"member", "m1"}, {"path", "/dev/vda"}, {"reason", "it is in use (mounted at /)"}}));
    }
    EXPECT_EQ(host.commands.size(), 1u);

    host.answer_command("wipefs -a /dev/loop3", 1, "",
                        "wipefs: error: /dev/loop3: probing initialization failed: "
                        "Device or resource busy\n");
    try {
        wipe_local_disk(ctx, "m1", "/dev/loop3");
        FAIL() << "a failed wipefs went unnoticed";
    } catch (const sdk::Error& e) {
        EXPECT_EQ(e.code(), "wipe_failed");
        EXPECT_STREQ(e.what(),
                     "lxd: could not wipe the local disk /dev/loop3 of m1: `wipefs -a /dev/loop3` exited 1: "
                     "wipefs: error: /dev/loop3: probing initialization failed: Device or resource busy");
    }
}

}  // namespace
}  // namespace microcloud::plugins::lxd
