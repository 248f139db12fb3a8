// tests/unit/system/disks_test.cpp - disks, partitions, loop devices and in-use detection from fake trees.
#include "fake_root.hpp"

#include "common/error.hpp"
#include "system/block_usage.hpp"
#include "system/disks.hpp"

#include <gtest/gtest.h>

namespace microcloud::host::system {
namespace {

using testing::FakeRoot;

void add_disk(const FakeRoot& root, const std::string& name, long sectors, const std::string& rotational = "1") {
    const std::string dir = "sys/block/" + name + "/";
    root.write(dir + "size", std::to_string(sectors) + "\n");
    root.write(dir + "removable", "0\n");
    root.write(dir + "ro", "0\n");
    root.write(dir + "queue/rotational", rotational + "\n");
    root.mkdir(dir + "holders");
}

void add_partition(const FakeRoot& root, const std::string& disk, const std::string& name, int number, long sectors) {
    const std::string dir = "sys/block/" + disk + "/" + name + "/";
    root.write(dir + "partition", std::to_string(number) + "\n");
    root.write(dir + "size", std::to_string(sectors) + "\n");
    root.mkdir(dir + "holders");
}

// The disk called `name` in `disks`, or null.
nlohmann::json find(const nlohmann::json& disks, const std::string& name) {
    for (const auto& disk : disks)
        if (disk["name"] == name) return disk;
    return nullptr;
}

class DisksTest : public ::testing::Test {
protected:
    void SetUp() override {
        // vda: partitions 1 (mounted), 2 (swap) and 10 (free), out of name order.
        add_disk(root, "vda", 2097152);
        add_partition(root, "vda", "vda1", 1, 1024);
        add_partition(root, "vda", "vda10", 10, 4096);
        add_partition(root, "vda", "vda2", 2, 2048);
        root.write("sys/block/vda/device/vendor", "0x1af4\n");
        root.write("sys/block/vda/serial", "VDASERIAL\n");

        // sdb: an SSD held by device-mapper, with by-id links.
        add_disk(root, "sdb", 1000, "0");
        root.write("sys/block/sdb/device/model", "Samsung SSD 870  \n");
        root.write("sys/block/sdb/device/vendor", "ATA     \n");
        root.write("sys/block/sdb/device/serial", "S1234\n");
        root.mkdir("sys/block/sdb/holders/dm-0");
        root.link("dev/disk/by-id/wwn-0x5002538e", "../../sdb");
        root.link("dev/disk/by-id/ata-Samsung_SSD_870_S1234", "../../sdb");

        // sdc: free, whole disk.
        add_disk(root, "sdc", 8, "0");
        root.write("sys/block/sdc/removable", "1\n");
        root.write("sys/block/sdc/ro", "1\n");

        // nvme0n1: mounted through a by-uuid link; sr0: a CD drive.
        add_disk(root, "nvme0n1", 16, "0");
        root.link("dev/disk/by-uuid/1234-abcd", "../../nvme0n1");
        add_disk(root, "sr0", 4);

        // loop0 attached, loop1 not; ram0 and zram0 never listed; nvme0c0n1 hidden.
        add_disk(root, "loop0", 64);
        root.write("sys/block/loop0/loop/backing_file", "/var/lib/lab/disk 1.img\n");
        add_disk(root, "loop1", 0);
        add_disk(root, "ram0", 64);
        add_disk(root, "zram0", 64);
        add_disk(root, "nvme0c0n1", 16);
        root.write("sys/block/nvme0c0n1/hidden", "1\n");

        root.write("proc/mounts",
                   "proc /proc proc rw 0 0\n"
                   "/dev/vda1 /boot\\040dir ext4 rw 0 0\n"
                   "/dev/vda1 /mnt/again ext4 rw 0 0\n"
                   "/dev/disk/by-uuid/1234-abcd /srv ext4 rw 0 0\n"
                   "tmpfs /run tmpfs rw 0 0\n");
        root.write("proc/swaps",
                   "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
                   "/dev/vda2                               partition\t1048572\t\t0\t\t-2\n"
                   "/swapfile                               file\t\t1048572\t\t0\t\t-3\n");
    }

    nlohmann::json disks() const { return collect_disks(root.roots()); }

    FakeRoot root;
};

TEST_F(DisksTest, ListsOnlyDataDisksSortedByName) {
    const auto all = disks();
    std::vector<std::string> names;
    for (const auto& disk : all) names.push_back(disk["name"]);
    EXPECT_EQ(names, (std::vector<std::string>{"loop0", "nvme0n1", "sdb", "sdc", "sr0", "vda"}));
}

TEST_F(DisksTest, PartitionsAreOrderedAndTheirUseExplained) {
    const auto vda = find(disks(), "vda");
    ASSERT_TRUE(vda.is_object());
    const auto& parts = vda["partitions"];
    ASSERT_EQ(parts.size(), 3u);
    EXPECT_EQ(parts[0], (nlohmann::json{{"name", "vda1"},
                                        {"path", "/dev/vda1"},
                                        {"size", 1024 * 512},
                                        {"in_use", true},
                                        {"in_use_reason", "mounted at /boot dir"}}));
    EXPECT_EQ(parts[1]["name"], "vda2");
    EXPECT_EQ(parts[1]["in_use_reason"], "used as swap");
    EXPECT_EQ(parts[2]["name"], "vda10");
    EXPECT_EQ(parts[2]["in_use"], false);
    EXPECT_EQ(parts[2]["in_use_reason"], "");
}

TEST_F(DisksTest, DiskWithAPartitionInUseIsInUse) {
    const auto vda = find(disks(), "vda");
    ASSERT_TRUE(vda.is_object());
    EXPECT_EQ(vda["in_use"], true);
    EXPECT_EQ(vda["in_use_reason"], "partition vda1 is in use: mounted at /boot dir");
    EXPECT_EQ(vda["size"], 2097152LL * 512);
    EXPECT_EQ(vda["type"], "hdd");
    EXPECT_EQ(vda["serial"], "VDASERIAL");
    EXPECT_EQ(vda["vendor"], "0x1af4");
    EXPECT_EQ(vda["model"], "");
    EXPECT_EQ(vda["id"], "/dev/vda");
    EXPECT_EQ(vda["backing_file"], "");
}

TEST_F(DisksTest, HeldDiskReportsHoldersAndById) {
    const auto sdb = find(disks(), "sdb");
    ASSERT_TRUE(sdb.is_object());
    EXPECT_EQ(sdb["in_use"], true);
    EXPECT_EQ(sdb["in_use_reason"], "held by dm-0");
    EXPECT_EQ(sdb["type"], "ssd");
    EXPECT_EQ(sdb["model"], "Samsung SSD 870");
    EXPECT_EQ(sdb["vendor"], "ATA");
    EXPECT_EQ(sdb["serial"], "S1234");
    EXPECT_EQ(sdb["id"], "/dev/disk/by-id/ata-Samsung_SSD_870_S1234");
    EXPECT_EQ(sdb["path"], "/dev/sdb");
}

TEST_F(DisksTest, FreeDiskWithFlags) {
    const auto sdc = find(disks(), "sdc");
    ASSERT_TRUE(sdc.is_object());
    EXPECT_EQ(sdc["in_use"], false);
    EXPECT_EQ(sdc["in_use_reason"], "");
    EXPECT_EQ(sdc["removable"], true);
    EXPECT_EQ(sdc["read_only"], true);
    EXPECT_EQ(sdc["partitions"], nlohmann::json::array());
}

TEST_F(DisksTest, MountThroughASymlinkCounts) {
    const auto nvme = find(disks(), "nvme0n1");
    ASSERT_TRUE(nvme.is_object());
    EXPECT_EQ(nvme["type"], "nvme");
    EXPECT_EQ(nvme["in_use_reason"], "mounted at /srv");
}

TEST_F(DisksTest, LoopDeviceCarriesItsBackingFile) {
    const auto loop = find(disks(), "loop0");
    ASSERT_TRUE(loop.is_object());
    EXPECT_EQ(loop["type"], "loop");
    EXPECT_EQ(loop["backing_file"], "/var/lib/lab/disk 1.img");
    EXPECT_EQ(loop["in_use"], false);
}

TEST_F(DisksTest, CdromIsRecognised) {
    const auto sr0 = find(disks(), "sr0");
    ASSERT_TRUE(sr0.is_object());
    EXPECT_EQ(sr0["type"], "cdrom");
}

TEST_F(DisksTest, FallsBackToSelfMounts) {
    std::filesystem::rename(root.base() / "proc/mounts", root.base() / "proc/self-mounts");
    root.mkdir("proc/self");
    std::filesystem::rename(root.base() / "proc/self-mounts", root.base() / "proc/self/mounts");
    const auto vda = find(disks(), "vda");
    ASSERT_TRUE(vda.is_object());
    EXPECT_EQ(vda["partitions"][0]["in_use_reason"], "mounted at /boot dir");
}

TEST_F(DisksTest, WithoutMountsTableItIsAnError) {
    std::filesystem::remove(root.base() / "proc/mounts");
    try {
        disks();
        FAIL() << "expected an error";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "system_facts_unreadable");
        EXPECT_NE(std::string(error.what()).find("mounts"), std::string::npos);
    }
}

TEST_F(DisksTest, WithoutSwapsNothingIsSwap) {
    std::filesystem::remove(root.base() / "proc/swaps");
    const auto vda = find(disks(), "vda");
    ASSERT_TRUE(vda.is_object());
    EXPECT_EQ(vda["partitions"][1]["in_use"], false);
}

TEST(Disks, MissingSysBlockIsAnError) {
    FakeRoot root;
    root.write("proc/mounts", "");
    try {
        collect_disks(root.roots());
        FAIL() << "expected an error";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "system_facts_unreadable");
        EXPECT_NE(std::string(error.what()).find("block"), std::string::npos);
    }
}

TEST(DeviceName, ResolvesDevPathsOnly) {
    FakeRoot root;
    root.link("dev/mapper/vg-lv", "../dm-3");
    EXPECT_EQ(device_name("/dev/sda1", root.roots().dev), "sda1");
    EXPECT_EQ(device_name("/dev/mapper/vg-lv", root.roots().dev), "dm-3");
    EXPECT_EQ(device_name("tmpfs", root.roots().dev), "");
    EXPECT_EQ(device_name("/swapfile", root.roots().dev), "");
}

}  // namespace
}  // namespace microcloud::host::system
