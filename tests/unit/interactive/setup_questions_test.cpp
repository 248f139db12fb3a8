// tests/unit/interactive/setup_questions_test.cpp - the storage and network questions answered by
// lines, and the preseed document the answers make.
#include "interactive/setup_questions.hpp"

#include "common/error.hpp"
#include "interactive/line_asker.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <sstream>

namespace microcloud::host::interactive {
namespace {

nlohmann::json disk(const std::string& name, bool in_use = false) {
    return {{"name", name}, {"path", "/dev/" + name}, {"id", "/dev/" + name}, {"size", 10737418240.0},
            {"model", "QEMU"},  {"type", "scsi"},         {"partitions", nlohmann::json::array()},
            {"read_only", false}, {"in_use", in_use},   {"in_use_reason", in_use ? "mounted" : ""}};
}

nlohmann::json interface(const std::string& name, const std::string& ip, int prefix) {
    return {{"name", name}, {"type", "physical"}, {"state", "up"},
            {"addresses", {{{"family", "inet"}, {"address", ip}, {"prefix", prefix}, {"scope", "global"}}}}};
}

SetupInput three_members(bool with_uplinks) {
    SetupInput input{.initiator = "m1", .lookup_subnet = "10.0.0.0/24", .members = {}, .bootstrap = true,
                     .ceph = true, .ovn = true};
    for (int i = 1; i <= 3; ++i) {
        const std::string n = std::to_string(i);
        SetupMember member{.name = "m" + n, .address = "10.0.0." + n, .facts = {}, .ovn_report = {}};
        member.facts["disks"] = {disk("sda"), disk("sdb"), disk("sdc", true)};
        member.facts["interfaces"] = {interface("eth0", "10.0.0." + n, 24), interface("eth1", "10.1.0." + n, 24)};
        member.ovn_report["interfaces"] = nlohmann::json::array();
        if (with_uplinks)
            member.ovn_report["interfaces"].push_back({{"name", "uplink0"}, {"type", "physical"}, {"uplink_candidate", true}});
        input.members.push_back(member);
    }
    return input;
}

// Runs the questions with `lines` as the answers; `out` gets what was shown.
nlohmann::json answer(const SetupInput& input, const std::string& lines, std::string& out) {
    int fds[2];
    EXPECT_EQ(::pipe(fds), 0);
    EXPECT_EQ(::write(fds[1], lines.data(), lines.size()), static_cast<ssize_t>(lines.size()));
    ::close(fds[1]);
    LineReader in(fds[0]);
    std::ostringstream shown;
    LineAsker asker(in, shown);
    nlohmann::json doc;
    try {
        doc = ask_setup(asker, input);
    } catch (...) {
        out = shown.str();
        ::close(fds[0]);
        throw;
    }
    out = shown.str();
    ::close(fds[0]);
    return doc;
}

TEST(SetupQuestions, EveryAnswerLandsInThePreseedDocument) {
    std::string out;
    const nlohmann::json doc = answer(three_members(true),
                                      "\n1 3 5\n1\nyes\nall\nall\n\n\n10.1.0.0/24\n\n"  // storage
                                      "\nall\n192.0.2.1/24\n192.0.2.100\n192.0.2.200\n\n\n\n",  // network
                                      out);
    const nlohmann::json want = nlohmann::json::parse(R"({
      "initiator": "m1", "lookup_subnet": "10.0.0.0/24",
      "systems": [
        {"name": "m1", "ovn_uplink_interface": "uplink0",
         "storage": {"local": {"path": "/dev/sda", "wipe": true},
                     "ceph": [{"path": "/dev/sdb", "wipe": true, "encrypt": false}]}},
        {"name": "m2", "ovn_uplink_interface": "uplink0",
         "storage": {"local": {"path": "/dev/sda", "wipe": false},
                     "ceph": [{"path": "/dev/sdb", "wipe": true, "encrypt": false}]}},
        {"name": "m3", "ovn_uplink_interface": "uplink0",
         "storage": {"local": {"path": "/dev/sda", "wipe": false},
                     "ceph": [{"path": "/dev/sdb", "wipe": true, "encrypt": false}]}}],
      "ovn": {"ipv4_gateway": "192.0.2.1/24", "ipv4_range": "192.0.2.100-192.0.2.200", "dns_servers": "192.0.2.1"},
      "ceph": {"cephfs": true, "internal_network": "10.1.0.0/24", "public_network": "10.1.0.0/24"}})");
    EXPECT_EQ(doc, want) << doc.dump(2) << "\n" << out;
    for (const char* text : {"Would you like to set up local storage? (yes/no) [default=yes]: ",
                             "Select exactly one disk from each cluster member:",
                             " Using /dev/sda on m2 for local storage pool",
                             "Select from the available unpartitioned disks:",
                             " Using 1 disk(s) on m3 for remote storage pool",
                             "Do you want to encrypt the selected disks? (yes/no) [default=no]: ",
                             "What subnet (IPv4/IPv6 CIDR) would you like your Ceph internal traffic on? "
                             "[default=10.0.0.0/24]: ",
                             "Specify the DNS addresses (comma-separated IPv4 / IPv6 addresses) for the distributed "
                             "network [default=192.0.2.1]: ",
                             "Configure dedicated OVN underlay networking? (yes/no) [default=no]: ", "10.00GiB"})
        EXPECT_NE(out.find(text), std::string::npos) << text << "\n" << out;
    EXPECT_EQ(out.find("/dev/sdc"), std::string::npos) << "a disk in use was offered";
}

TEST(SetupQuestions, TwoDisksOnOneSystemAreAskedAgainAndTooFewCephHostsAreWarnedAbout) {
    std::string out;
    const nlohmann::json doc = answer(three_members(false),
                                      "\n1 2\n\n1 3 5\n\n"    // local: twice on m1, retry, then one each
                                      "\n1\n\nno\n\n\n\n\n"   // ceph on m1 alone: warned, kept
                                      "yes\n",                // no uplink anywhere: continue without OVN
                                      out);
    EXPECT_NE(out.find("Failed to add local storage pool: Selected more than one disk for target peer \"m1\""),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("At least 3 systems must supply disks (1 currently supplying)"), std::string::npos) << out;
    EXPECT_NE(out.find("System \"m1\" is ineligible for distributed networking"), std::string::npos) << out;
    EXPECT_EQ(doc["systems"][0]["storage"]["ceph"].size(), 1u) << doc.dump(2);
    EXPECT_FALSE(doc["systems"][1]["storage"].contains("ceph"));
    EXPECT_FALSE(doc.contains("ovn"));
    EXPECT_FALSE(doc["systems"][0].contains("ovn_uplink_interface"));
}

TEST(SetupQuestions, NoUplinkAndNoToContinueEndsTheSetup) {
    std::string out;
    SetupInput input = three_members(false);
    input.ceph = false;
    for (auto& member : input.members) member.facts["disks"] = nlohmann::json::array();
    EXPECT_THROW(answer(input, "\n", out), Error);
    EXPECT_NE(out.find("No disks available for local storage. Skipping configuration"), std::string::npos) << out;
    EXPECT_NE(out.find("Continue anyway? (yes/no) [default=no]: "), std::string::npos) << out;
}

TEST(SetupQuestions, AddingSystemsAsksNeitherCephFsNorTheCephNetworks) {
    std::string out;
    SetupInput input = three_members(true);
    input.bootstrap = false;
    input.ovn = false;
    const nlohmann::json doc = answer(input, "no\nyes\nall\n\n\n", out);
    EXPECT_EQ(out.find("CephFS"), std::string::npos) << out;
    EXPECT_EQ(out.find("Ceph internal traffic"), std::string::npos) << out;
    EXPECT_FALSE(doc.contains("ceph")) << doc.dump(2);
    EXPECT_EQ(doc["systems"][2]["storage"]["ceph"].size(), 2u) << doc.dump(2);  // sda and sdb of m3
}

TEST(SetupQuestions, DnsServersMayHaveBlanksAfterTheCommas) {
    std::string out;
    SetupInput input = three_members(true);
    input.ceph = false;
    const nlohmann::json doc =
        answer(input, "no\n\nall\n192.0.2.1/24\n192.0.2.10\n192.0.2.20\n\n1.1.1.1, 8.8.8.8\n\n", out);
    EXPECT_EQ(doc["ovn"]["dns_servers"], "1.1.1.1,8.8.8.8") << out;
}

TEST(IecSize, TwoDecimalsWithBinaryUnits) {
    EXPECT_EQ(iec_size(512), "512.00B");
    EXPECT_EQ(iec_size(10737418240.0), "10.00GiB");
    EXPECT_EQ(iec_size(1536), "1.50KiB");
}

}  // namespace
}  // namespace microcloud::host::interactive
