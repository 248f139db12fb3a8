// tests/unit/plugins/lxd/kernel_modules_test.cpp - the kernel facts of the discover report.
#include "kernel_modules.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace microcloud::plugins::lxd {
namespace {

using sdk::Json;

SystemView system_with(std::map<std::string, std::string> files, std::set<std::string> paths = {}) {
    SystemView view;
    view.exists = [paths = std::move(paths)](const std::string& path) { return paths.count(path) > 0; };
    view.read = [files = std::move(files)](const std::string& path) -> std::optional<std::string> {
        auto it = files.find(path);
        if (it == files.end()) return std::nullopt;
        return it->second;
    };
    return view;
}

// /proc/filesystems as this machine's kernel has it: no ceph.
const std::string filesystems = "nodev\tsysfs\nnodev\tproc\n\text4\n\tbtrfs\nnodev\tfuse\n";

TEST(LxdKernelModules, ModuleListsNameModulesByFile) {
    const std::string dep =
        "kernel/drivers/block/rbd.ko.zst: kernel/net/ceph/libceph.ko.zst\n"
        "kernel/net/ceph/libceph.ko.zst:\n"
        "kernel/drivers/md/dm-mod.ko.xz:\n";
    EXPECT_TRUE(module_listed("rbd", dep));
    EXPECT_TRUE(module_listed("libceph", dep));
    EXPECT_TRUE(module_listed("dm_mod", dep));                       // file dm-mod.ko, module dm_mod
    EXPECT_FALSE(module_listed("ceph", dep));                        // libceph (a dependency) is not ceph
    EXPECT_TRUE(module_listed("ceph", "kernel/fs/ceph/ceph.ko\n"));  // modules.builtin
    EXPECT_FALSE(module_listed("rbd", "kernel/drivers/block/rbd.kox\nrbd\n"));
    EXPECT_FALSE(module_listed("rbd", ""));
}

TEST(LxdKernelModules, NothingLoadedNorListedLikeThisMachine) {
    const SystemView system = system_with({{"/proc/sys/kernel/osrelease", "6.18.44-fc-v782\n"},
                                           {"/proc/filesystems", filesystems},
                                           {"/proc/misc", "  1 psaux\n237 loop-control\n"}});
    EXPECT_EQ(kernel_report(system), (Json{{"rbd", false}, {"ceph", false}, {"device_mapper", false}}));
    EXPECT_EQ(kernel_report(SystemView{}), (Json{{"rbd", false}, {"ceph", false}, {"device_mapper", false}}));
}

TEST(LxdKernelModules, LoadedOrAvailable) {
    // Loaded: /sys/module, /proc/filesystems, /proc/misc.
    EXPECT_EQ(kernel_report(system_with(
                  {{"/proc/filesystems", filesystems + "nodev\tceph\n"}, {"/proc/misc", "236 device-mapper\n"}},
                  {"/sys/module/rbd"})),
              (Json{{"rbd", true}, {"ceph", true}, {"device_mapper", true}}));
    EXPECT_EQ(kernel_report(system_with({}, {"/sys/module/ceph", "/sys/module/dm_mod"})),
              (Json{{"rbd", false}, {"ceph", true}, {"device_mapper", true}}));
    // Available: the running kernel's modules.dep and modules.builtin.
    const SystemView available =
        system_with({{"/proc/sys/kernel/osrelease", "6.1.0-18-amd64\n"},
                     {"/lib/modules/6.1.0-18-amd64/modules.dep",
                      "kernel/drivers/block/rbd.ko: kernel/net/ceph/libceph.ko\nkernel/fs/ceph/ceph.ko: "
                      "kernel/net/ceph/libceph.ko\n"},
                     {"/lib/modules/6.1.0-18-amd64/modules.builtin", "kernel/drivers/md/dm-mod.ko\n"}});
    EXPECT_EQ(kernel_report(available), (Json{{"rbd", true}, {"ceph", true}, {"device_mapper", true}}));
}

}  // namespace
}  // namespace microcloud::plugins::lxd
