// tests/unit/store/members_test.cpp - the members table through the Store: adding, finding,
// listing, updating, removing, and every rejected input.
#include "store_test_support.hpp"

namespace microcloud::host::store::testing {
namespace {

class MembersTest : public StoreTest {};

TEST_F(MembersTest, AddedMembersAreFoundAndListedByName) {
    Member second = sample_member(2, MemberRole::standby);
    second.heartbeat_at = at(1800000100);
    store().add_member(second);
    store().add_member(sample_member(1));
    store().add_member(sample_member(3, MemberRole::pending));

    EXPECT_EQ(store().find_member("m2"), second);
    EXPECT_EQ(store().find_member("nobody"), std::nullopt);
    const std::vector<Member> all = store().list_members();
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0], sample_member(1));
    EXPECT_EQ(all[1], second);
    EXPECT_EQ(all[2].role, MemberRole::pending);
}

TEST_F(MembersTest, TheListingWithoutCertificatesIsTheListingWithEmptyCertificates) {
    store().add_member(sample_member(2, MemberRole::standby));
    store().add_member(sample_member(1));
    std::vector<Member> expected = store().list_members();
    ASSERT_FALSE(expected[0].certificate.empty());
    for (Member& member : expected) member.certificate.clear();
    EXPECT_EQ(store().list_members_without_certificates(), expected);
}

TEST_F(MembersTest, NodeIdsKeepAllSixtyFourBits) {
    Member member = sample_member(1);
    member.node_id = 0xfedcba9876543210ULL;
    store().add_member(member);
    EXPECT_EQ(store().find_member("m1")->node_id, 0xfedcba9876543210ULL);
}

TEST_F(MembersTest, DuplicatesAreRefusedNamingTheFieldAndTheHolder) {
    store().add_member(sample_member(1));

    Member same_name = sample_member(2);
    same_name.name = "m1";
    expect_error([&] { store().add_member(same_name); }, "member_exists", {"a member named \"m1\" already exists"});

    Member same_address = sample_member(2);
    same_address.address = sample_member(1).address;
    expect_error([&] { store().add_member(same_address); }, "member_exists", {"\"m2\"", "address", "member \"m1\""});

    Member same_fingerprint = sample_member(2);
    same_fingerprint.fingerprint = sample_member(1).fingerprint;
    expect_error([&] { store().add_member(same_fingerprint); }, "member_exists",
                 {"certificate fingerprint", "member \"m1\""});

    Member same_node = sample_member(2);
    same_node.node_id = sample_member(1).node_id;
    expect_error([&] { store().add_member(same_node); }, "member_exists", {"dqlite node id", "member \"m1\""});

    EXPECT_EQ(store().list_members().size(), 1u);
}

TEST_F(MembersTest, InvalidMembersAreRefusedNamingTheField) {
    Member no_name = sample_member(1);
    no_name.name = "";
    expect_error([&] { store().add_member(no_name); }, "invalid_member", {"name must not be empty"});

    Member spaced = sample_member(1);
    spaced.name = "two words";
    expect_error([&] { store().add_member(spaced); }, "invalid_member", {"name"});

    Member no_address = sample_member(1);
    no_address.address = "";
    expect_error([&] { store().add_member(no_address); }, "invalid_member", {"address"});

    Member not_pem = sample_member(1);
    not_pem.certificate = "hello";
    expect_error([&] { store().add_member(not_pem); }, "invalid_member", {"certificate", "PEM"});

    Member short_fingerprint = sample_member(1);
    short_fingerprint.fingerprint = "ABC";
    expect_error([&] { store().add_member(short_fingerprint); }, "invalid_member", {"fingerprint", "\"ABC\""});

    Member no_node = sample_member(1);
    no_node.node_id = 0;
    expect_error([&] { store().add_member(no_node); }, "invalid_member", {"node id"});

    EXPECT_TRUE(store().list_members().empty());
}

TEST_F(MembersTest, RolesParseAndUnknownRolesNameTheAcceptedOnes) {
    EXPECT_EQ(parse_member_role("voter"), MemberRole::voter);
    EXPECT_EQ(parse_member_role("stand-by"), MemberRole::standby);
    EXPECT_EQ(parse_member_role("standby"), MemberRole::standby);
    EXPECT_EQ(parse_member_role("spare"), MemberRole::spare);
    EXPECT_EQ(parse_member_role("pending"), MemberRole::pending);
    expect_error([] { parse_member_role("boss"); }, "invalid_role", {"\"boss\"", "voter, stand-by, spare, pending"});
}

TEST_F(MembersTest, AnUnknownRoleInTheDatabaseIsRefusedBySqlToo) {
    cluster::Client client = raw_client();
    expect_error(
        [&] {
            client.exec(
                "INSERT INTO members (name, address, certificate, fingerprint, role, node_id, joined_at)"
                " VALUES ('x', 'a', 'c', 'f', 'boss', 1, 0)");
        },
        "dqlite_failure", {"CHECK constraint failed"});
}

TEST_F(MembersTest, UpdateReplacesTheFieldsOfTheNamedMember) {
    store().add_member(sample_member(1, MemberRole::pending));
    store().add_member(sample_member(2));
    Member changed = sample_member(1, MemberRole::voter);
    changed.address = "10.0.1.1:9443";
    changed.heartbeat_at = at(1800000500);
    store().update_member(changed);
    EXPECT_EQ(store().find_member("m1"), changed);

    Member clash = changed;
    clash.address = sample_member(2).address;
    expect_error([&] { store().update_member(clash); }, "member_exists", {"address", "member \"m2\""});
    expect_error([&] { store().update_member(sample_member(9)); }, "member_not_found", {"\"m9\""});
}

TEST_F(MembersTest, SettingTheRoleChangesOnlyTheRole) {
    Member member = sample_member(1, MemberRole::pending);
    store().add_member(member);
    store().set_member_role("m1", MemberRole::voter);
    member.role = MemberRole::voter;
    EXPECT_EQ(store().find_member("m1"), member);  // certificate, address and times as they were
    expect_error([&] { store().set_member_role("m9", MemberRole::spare); }, "member_not_found", {"\"m9\""});
}

TEST_F(MembersTest, RemovingAMemberDropsItsPluginState) {
    store().add_member(sample_member(1));
    store().add_member(sample_member(2));
    store().put_plugin_state("m1", "lxd", {{"ready", true}});
    store().put_plugin_state("m2", "lxd", {{"ready", false}});

    store().remove_member("m1");
    EXPECT_EQ(store().find_member("m1"), std::nullopt);
    EXPECT_EQ(store().get_plugin_state("m1", "lxd"), std::nullopt);
    EXPECT_TRUE(store().get_plugin_state("m2", "lxd").has_value());
    expect_error([&] { store().remove_member("m1"); }, "member_not_found", {"\"m1\""});
}

}  // namespace
}  // namespace microcloud::host::store::testing
