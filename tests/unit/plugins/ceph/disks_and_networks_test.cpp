// tests/unit/plugins/ceph/disks_and_networks_test.cpp - disks judged for OSDs (from facts and what
// is written at their start) and the subnet arithmetic behind the public and cluster networks.
#include "cidr.hpp"
#include "member_view.hpp"
#include "osd_disks.hpp"

#include <gtest/gtest.h>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace ceph = microcloud::plugins::ceph;
using microcloud::sdk::Json;

namespace {

Json disk(const std::string& name, Json extra = Json::object()) {
    Json d = {{"name", name},  {"path", "/dev/" + name}, {"id", "/dev/disk/by-id/wwn-" + name}, {"size", 4 << 30},
              {"type", "loop"}, {"read_only", false},     {"partitions", Json::array()},         {"in_use", false},
              {"in_use_reason", ""}};
    d.update(extra);
    return d;
}

}  // namespace

TEST(OsdDisks, BluestoreLabelIsRecognised) {
    EXPECT_TRUE(ceph::is_bluestore_label("bluestore block device\n4c0d..."));
    EXPECT_FALSE(ceph::is_bluestore_label("bluestore"));
    EXPECT_FALSE(ceph::is_bluestore_label(std::string(22, '\0')));
}

TEST(OsdDisks, JudgedFromFactsAndProbe) {
    struct Case {
        Json disk;
        ceph::DiskProbe probe;
        bool qualifies, wipe_needed;
        std::string reason_part;
    };
    const std::vector<Case> cases = {
        {disk("loop1"), {}, true, false, ""},
        {disk("loop2"), {false, "ext4"}, true, true, ""},
        {disk("loop3", {{"partitions", Json::array({{{"name", "loop3p1"}}})}}), {}, true, true, ""},
        {disk("loop4"), {true, ""}, false, false, "already a Ceph OSD"},
        {disk("sr0", {{"type", "cdrom"}}), {}, false, false, "CD/DVD"},
        {disk("loop5", {{"read_only", true}}), {}, false, false, "read-only"},
        {disk("vda", {{"in_use", true}, {"in_use_reason", "mounted at /"}}), {}, false, false, "mounted at /"},
    };
    for (const auto& c : cases) {
        const Json judged = ceph::judge_disk(c.disk, c.probe);
        EXPECT_EQ(judged["qualifies"], c.qualifies) << c.disk.dump();
        EXPECT_EQ(judged["wipe_needed"], c.wipe_needed) << c.disk.dump();
        EXPECT_NE(judged["reason"].get<std::string>().find(c.reason_part), std::string::npos) << judged.dump();
    }
}

TEST(OsdDisks, ProbeReadsTheStartAndAsksBlkidOtherwise) {
    int asked = 0;
    const auto probe = ceph::probe_disk("/nonexistent/disk", [&](const std::vector<std::string>& argv) {
        ++asked;
        EXPECT_EQ(argv.front(), "blkid");
        return std::optional<std::string>("xfs\n");
    });
    EXPECT_EQ(asked, 1);
    EXPECT_FALSE(probe.bluestore);
    EXPECT_EQ(probe.signature, "xfs");
}

TEST(OsdDisks, FoundByPathOrId) {
    const Json judged = Json::array({ceph::judge_disk(disk("loop1"), {}), ceph::judge_disk(disk("loop2"), {})});
    const auto none = [](const std::string&) { return std::string(); };
    EXPECT_EQ(ceph::find_disk(judged, "/dev/loop2", none)->value("path", ""), "/dev/loop2");
    EXPECT_EQ(ceph::find_disk(judged, "/dev/disk/by-id/wwn-loop1", none)->value("path", ""), "/dev/loop1");
    EXPECT_EQ(ceph::find_disk(judged, "/dev/disk/by-path/x", [](const std::string&) { return "/dev/loop1"; })
                  ->value("path", ""),
              "/dev/loop1");
    EXPECT_FALSE(ceph::find_disk(judged, "/dev/loop9", none));
}

TEST(Cidr, ParsesAndContains) {
    const auto net = ceph::parse_cidr("10.1.0.7/24");
    ASSERT_TRUE(net);
    EXPECT_EQ(net->text(), "10.1.0.0/24");
    EXPECT_TRUE(net->contains("10.1.0.200"));
    EXPECT_FALSE(net->contains("10.1.1.1"));
    EXPECT_FALSE(net->contains("fd00::1"));
    EXPECT_TRUE(ceph::parse_cidr("fd00:1::/64")->contains("fd00:1::5"));
    EXPECT_FALSE(ceph::parse_cidr("fd00:1::/64")->contains("fd00:2::5"));
    EXPECT_EQ(ceph::parse_cidr("10.0.0.0/20")->text(), "10.0.0.0/20");
    EXPECT_TRUE(ceph::parse_cidr("10.0.15.255/20")->contains("10.0.0.1"));
    for (const char* bad : {"10.1.0.0", "10.1.0.0/33", "10.1.0/24", "x/24", "10.1.0.0/", "fd00::/129", "10.0.0.0/2a"})
        EXPECT_FALSE(ceph::parse_cidr(bad)) << bad;
    EXPECT_FALSE(ceph::parse_cidr("10.1.0.1/32")->has_room());
    EXPECT_TRUE(ceph::parse_cidr("10.1.0.0/31")->has_room());
}

TEST(MemberView, AddressesAndTheirSubnets) {
    const Json facts = {{"interfaces",
                         {{{"name", "eth0"},
                           {"addresses",
                            {{{"family", "inet"}, {"address", "10.1.0.11"}, {"prefix", 24}, {"scope", "global"}},
                             {{"family", "inet6"}, {"address", "fe80::1"}, {"prefix", 64}, {"scope", "link"}}}}},
                          {{"name", "eth1"},
                           {"addresses",
                            {{{"family", "inet"}, {"address", "10.2.0.11"}, {"prefix", 16}, {"scope", "global"}}}}}}}};
    const Json addresses = ceph::global_addresses(facts);
    ASSERT_EQ(addresses.size(), 2u);
    EXPECT_EQ(ceph::subnet_of_address(addresses, "10.1.0.11"), "10.1.0.0/24");
    EXPECT_EQ(ceph::subnet_of_address(addresses, "10.2.0.11"), "10.2.0.0/16");
    EXPECT_EQ(ceph::subnet_of_address(addresses, "10.9.9.9"), "");
    EXPECT_EQ(ceph::address_in(addresses, "10.2.0.0/16"), "10.2.0.11");
    EXPECT_EQ(ceph::address_in(addresses, "10.3.0.0/16"), "");
}

TEST(MemberView, RunningDaemonsAreThoseWhosePidIsACephProgram) {
    const auto dir = std::filesystem::temp_directory_path() / ("ceph-run-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "ceph-mon.m1.pid") << ::getpid() << "\n";  // this test program: not ceph-*
    std::ofstream(dir / "ceph-osd.3.pid") << "999999999\n";         // no such process
    std::ofstream(dir / "other-mon.m1.pid") << ::getpid() << "\n";
    EXPECT_EQ(ceph::running_daemons(dir.string(), "ceph"), Json::array());
    EXPECT_EQ(ceph::running_daemons((dir / "absent").string(), "ceph"), Json::array());
    // A process whose program is named ceph-mgr (a copy of sleep) is listed.
    const auto program = dir / "ceph-mgr";
    std::filesystem::copy_file("/bin/sleep", program);
    const std::string path = program.string();
    char* const argv[] = {const_cast<char*>(path.c_str()), const_cast<char*>("30"), nullptr};
    pid_t pid = 0;
    ASSERT_EQ(::posix_spawn(&pid, path.c_str(), nullptr, nullptr, argv, environ), 0);
    std::ofstream(dir / "ceph-mgr.m1.pid") << pid << "\n";
    for (int i = 0; i < 200; ++i) {  // until the child has exec'd
        std::ifstream cmdline("/proc/" + std::to_string(pid) + "/cmdline");
        std::string first;
        if (std::getline(cmdline, first, '\0') && first == path) break;
        ::usleep(10000);
    }
    EXPECT_EQ(ceph::running_daemons(dir.string(), "ceph"), Json::parse(R"([{"name": "mgr.m1", "pid": )" +
                                                                         std::to_string(pid) + "}]"));
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    std::filesystem::remove_all(dir);
}
