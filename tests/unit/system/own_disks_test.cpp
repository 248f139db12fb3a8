// tests/unit/system/own_disks_test.cpp - a member's facts confined to its own disks (config key
// `disks`): matched on path or by-id path, the rest of the facts untouched, and the same list
// through HostServices (what plugins read as member_facts).
#include "system/own_disks.hpp"
#include "plugins/host_services.hpp"

#include <gtest/gtest.h>

namespace microcloud::host::system {
namespace {

nlohmann::json disk(const std::string& name, const std::string& id = "") {
    return {{"name", name}, {"path", "/dev/" + name}, {"id", id.empty() ? "/dev/" + name : id}, {"type", "loop"}};
}

// What collect_facts gives on a machine whose kernel holds every lab member's loop devices.
nlohmann::json shared_kernel_facts() {
    return {{"hostname", "m1"},
            {"interfaces", nlohmann::json::array({{{"name", "eth0"}}})},
            {"disks", {disk("loop3"), disk("loop4"), disk("sdb", "/dev/disk/by-id/wwn-0x1"), disk("loop9")}},
            {"default_route", nullptr}};
}

std::vector<std::string> names(const nlohmann::json& facts) {
    std::vector<std::string> out;
    for (const auto& d : facts.at("disks")) out.push_back(d.at("name"));
    return out;
}

TEST(OwnDisks, KeepsOnlyTheNamedDisksByPathOrId) {
    const nlohmann::json kept = keep_own_disks(shared_kernel_facts(), {"/dev/loop4", "/dev/disk/by-id/wwn-0x1"});
    EXPECT_EQ(names(kept), (std::vector<std::string>{"loop4", "sdb"}));
    EXPECT_EQ(kept["hostname"], "m1");
    EXPECT_EQ(kept["interfaces"], shared_kernel_facts()["interfaces"]);
    EXPECT_TRUE(kept.contains("default_route"));
}

TEST(OwnDisks, AnEmptyListKeepsNoDisk) {
    EXPECT_TRUE(keep_own_disks(shared_kernel_facts(), {})["disks"].empty());
}

TEST(OwnDisks, FactsWithoutDisksAreLeftAlone) {
    const nlohmann::json facts{{"hostname", "m1"}};
    EXPECT_EQ(keep_own_disks(facts, {"/dev/loop3"}), facts);
}

TEST(OwnDisks, UnknownDisksAreTheConfiguredOnesNoDiskMatches) {
    EXPECT_EQ(unknown_disks(shared_kernel_facts()["disks"], {"/dev/loop3", "/dev/loop77", "/dev/disk/by-id/wwn-0x1"}),
              (std::vector<std::string>{"/dev/loop77"}));
}

TEST(OwnDisks, HostServicesAnswerTheConfinedFacts) {
    int collected = 0;
    const plugins::HostServices services(own_disks_facts({"/dev/loop3", "/dev/loop9"}, [&collected] {
        ++collected;
        return shared_kernel_facts();
    }));
    EXPECT_EQ(names(services.member_facts()), (std::vector<std::string>{"loop3", "loop9"}));
    EXPECT_EQ(names(services.member_facts()), (std::vector<std::string>{"loop3", "loop9"}));
    EXPECT_EQ(collected, 2);  // collected afresh each time, confined each time
}

}  // namespace
}  // namespace microcloud::host::system
