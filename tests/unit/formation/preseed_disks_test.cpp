// tests/unit/formation/preseed_disks_test.cpp - the preseed run's disk step: members' facts read,
// the choice made and told per member (filter or explicit path), nothing read when no storage is
// named, an unreadable member named, and a dry run on one machine.
#include "formation/preseed_disks.hpp"

#include "common/error.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <set>

namespace microcloud::host::formation {
namespace {

nlohmann::json loop(const std::string& name) {
    return {{"name", name},      {"path", "/dev/" + name}, {"id", "/dev/" + name},
            {"size", 1LL << 32}, {"type", "loop"},         {"read_only", false},
            {"in_use", false},   {"in_use_reason", ""},    {"partitions", nlohmann::json::array()}};
}

// m1: loop1, loop2; m2: loop3, loop4 (what each member's confined facts list).
nlohmann::json facts_of_member(const std::string& member) {
    if (member == "m1") return {{"hostname", "m1"}, {"disks", {loop("loop1"), loop("loop2")}}};
    if (member == "m2") return {{"hostname", "m2"}, {"disks", {loop("loop3"), loop("loop4")}}};
    throw Error("member_not_found", "No member named \"" + member + "\"", {{"member", member}});
}

constexpr const char* kHeader = R"(
initiator: m1
lookup_subnet: 10.0.0.0/24
session_passphrase: cat dog cow pig
)";

struct Recorder {
    std::mutex mutex;
    std::set<std::string> asked;
    std::vector<std::string> said;
    FactsOf facts() {
        return [this](const std::string& member) {
            {
                const std::lock_guard lock(mutex);
                asked.insert(member);
            }
            return facts_of_member(member);
        };
    }
    std::function<void(const std::string&)> say() {
        return [this](const std::string& line) { said.push_back(line); };
    }
};

TEST(PreseedDisks, FiltersAndExplicitPathsChooseAndAreTold) {
    const Preseed p = parse_preseed(std::string(kHeader) + R"(
systems:
- name: m1
- name: m2
  storage:
    ceph:
    - {path: /dev/loop4, wipe: true}
storage:
  local:
  - {find: type == loop, wipe: true}
  ceph:
  - {find: id == loop2, find_min: 1}
)");
    Recorder r;
    const nlohmann::json chosen = choose_disks(p, {"m1", "m2"}, true, r.facts(), r.say());
    EXPECT_EQ(r.asked, (std::set<std::string>{"m1", "m2"}));
    EXPECT_EQ(chosen["m1"]["ceph"][0]["path"], "/dev/loop2");
    EXPECT_EQ(chosen["m1"]["local"]["path"], "/dev/loop1");
    EXPECT_EQ(chosen["m2"]["ceph"][0]["path"], "/dev/loop4");
    EXPECT_EQ(chosen["m2"]["local"]["path"], "/dev/loop3");
    ASSERT_EQ(r.said.size(), 2u);
    EXPECT_EQ(r.said[0],
              "Disks of m1: local /dev/loop1 (filter storage.local[0] \"type == loop\", wipe); "
              "ceph /dev/loop2 (filter storage.ceph[0] \"id == loop2\")");
    EXPECT_EQ(r.said[1],
              "Disks of m2: local /dev/loop3 (filter storage.local[0] \"type == loop\", wipe); "
              "ceph /dev/loop4 (explicit path systems[1].storage.ceph[0], wipe)");
}

TEST(PreseedDisks, NoStorageNamedReadsNoFacts) {
    const Preseed p = parse_preseed(std::string(kHeader) + "systems:\n- name: m1\n- name: m2\n");
    EXPECT_FALSE(names_storage(p));
    Recorder r;
    EXPECT_EQ(choose_disks(p, {"m1", "m2"}, true, r.facts(), r.say()), nlohmann::json::object());
    EXPECT_TRUE(r.asked.empty());
    EXPECT_TRUE(r.said.empty());
}

TEST(PreseedDisks, AMemberWhoseFactsCannotBeReadFailsTheChoice) {
    const Preseed p = parse_preseed(std::string(kHeader) + R"(
systems:
- name: m1
- name: m9
storage:
  local:
  - {find: type == loop}
)");
    Recorder r;
    try {
        choose_disks(p, {"m1", "m9"}, true, r.facts(), r.say());
        FAIL() << "chose without m9's facts";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "member_not_found");
        EXPECT_EQ(error.details().value("member", ""), "m9");
    }
    EXPECT_TRUE(r.said.empty());
}

TEST(PreseedDisks, ASelectionFailureKeepsUpstreamsMessage) {
    const Preseed p = parse_preseed(std::string(kHeader) + R"(
systems:
- name: m1
- name: m2
storage:
  ceph:
  - {find: type == loop, find_min: 5}
)");
    Recorder r;
    try {
        choose_disks(p, {"m1", "m2"}, true, r.facts(), r.say());
        FAIL() << "accepted 4 disks for find_min 5";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "disk_selection_failed");
        EXPECT_STREQ(error.what(), "Failed to find at least 5 disks for filter \"type == loop\"");
    }
}

TEST(PreseedDisks, ADryRunChoosesForThisMachineAloneAndNotesTotals) {
    const Preseed p = parse_preseed(std::string(kHeader) + R"(
systems:
- name: m1
- name: m2
storage:
  ceph:
  - {find: type == loop, find_min: 3}
)");
    const OwnDiskChoice own = choose_own_disks(p, "m1", facts_of_member("m1"));
    ASSERT_EQ(own.disks.size(), 1u) << own.disks.dump();
    ASSERT_EQ(own.disks["m1"]["ceph"].size(), 2u);
    EXPECT_EQ(own.disks["m1"]["ceph"][1]["path"], "/dev/loop2");
    EXPECT_NE(own.note.find("Failed to find at least 3 disks"), std::string::npos) << own.note;

    const Preseed met = parse_preseed(std::string(kHeader) + R"(
systems:
- name: m1
storage:
  ceph:
  - {find: type == loop, find_min: 1}
)");
    EXPECT_TRUE(choose_own_disks(met, "m1", facts_of_member("m1")).note.empty());
    const Preseed none = parse_preseed(std::string(kHeader) + "systems:\n- name: m1\n");
    EXPECT_EQ(choose_own_disks(none, "m1", facts_of_member("m1")).disks, nlohmann::json::object());
}

TEST(PreseedDisks, ABadFilterFailsADryRunToo) {
    const Preseed p = parse_preseed(std::string(kHeader) + R"(
systems:
- name: m1
storage:
  local:
  - {find: colour == blue}
)");
    try {
        choose_own_disks(p, "m1", facts_of_member("m1"));
        FAIL() << "accepted a filter on an unknown key";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "invalid_disk_filter") << error.what();
    }
}

TEST(PreseedDisks, NothingChosenIsSaid) {
    EXPECT_EQ(describe_disk_choice("m3", {{"local", nullptr}, {"ceph", nlohmann::json::array()}}, nullptr),
              "Disks of m3: none chosen");
}

}  // namespace
}  // namespace microcloud::host::formation
