// tests/unit/formation/preseed_test.cpp - the preseed format: a full file parses into the model;
// each of upstream's validation rules, table-driven, rejects with upstream's message; the role a
// machine plays follows the initiator and the systems listed.
#include "formation/preseed.hpp"

#include "common/error.hpp"

#include <gtest/gtest.h>

namespace microcloud::host::formation {
namespace {

const LocalContext kM1{"m1", {"10.0.0.11"}, false};

// A valid three-system file; the cases below change one thing in it.
std::string base(const std::string& extra = "", const std::string& systems = "") {
    return "initiator: m1\n"
           "lookup_subnet: 10.0.0.0/24\n"
           "session_passphrase: a b c d\n" +
           extra + "systems:\n" +
           (systems.empty() ? "- name: m1\n- name: m2\n- name: m3\n" : systems);
}

// The same three systems in upstream's unicast form: the initiator's address and every system's.
std::string unicast(const std::string& extra = "") {
    return "initiator_address: 10.0.0.11\n"
           "session_passphrase: a b c d\n" +
           extra +
           "systems:\n"
           "- name: m1\n  address: 10.0.0.11\n"
           "- name: m2\n  address: 10.0.0.12\n"
           "- name: m3\n  address: 10.0.0.13\n";
}

std::string rejection(const std::string& yaml, const LocalContext& local = kM1) {
    try {
        validate_preseed(parse_preseed(yaml), local);
    } catch (const Error& error) {
        EXPECT_TRUE(error.code() == "invalid_preseed" || error.code() == "invalid_yaml") << error.code();
        return error.what();
    }
    return "accepted";
}

TEST(Preseed, FullFileParses) {
    const Preseed p = parse_preseed(R"(
initiator: m1
lookup_subnet: 10.0.0.0/24
lookup_timeout: 30
session_passphrase: cat dog cow pig
session_timeout: 10m
systems:
- name: m1
  ovn_uplink_interface: uplink0
  ovn_underlay_ip: 10.1.0.11
  storage:
    local: {path: /dev/vdb, wipe: true}
    ceph:
    - {path: /dev/vdc, wipe: true, encrypt: true}
ovn:
  ipv4_gateway: 10.2.0.1/24
  ipv4_range: 10.2.0.100-10.2.0.200
  dns_servers: 10.2.0.1,1.1.1.1
ceph:
  cephfs: true
  public_network: 10.0.0.0/24
storage:
  local:
  - {find: size > 10GiB, find_min: 1, find_max: 1, wipe: true}
  ceph:
  - {find: type == nvme, find_min: 3, wipe: true, encrypt: false}
)");
    EXPECT_EQ(p.initiator, "m1");
    EXPECT_EQ(p.lookup_timeout, std::chrono::seconds(30));
    EXPECT_EQ(p.session_timeout, std::chrono::seconds(600));
    ASSERT_EQ(p.systems.size(), 1u);
    EXPECT_EQ(p.systems[0].ovn_uplink_interface, "uplink0");
    ASSERT_TRUE(p.systems[0].local_disk.has_value());
    EXPECT_EQ(p.systems[0].local_disk->path, "/dev/vdb");
    ASSERT_EQ(p.systems[0].ceph_disks.size(), 1u);
    EXPECT_TRUE(p.systems[0].ceph_disks[0].encrypt);
    EXPECT_EQ(p.ovn.ipv4_range, "10.2.0.100-10.2.0.200");
    EXPECT_TRUE(p.ceph.cephfs);
    ASSERT_EQ(p.ceph_filters.size(), 1u);
    EXPECT_EQ(p.ceph_filters[0].find_min, 3);
    EXPECT_EQ(validate_preseed(p, kM1), PreseedRole::initiator_bootstrap);
}

TEST(Preseed, UnknownKeysAndWrongTypesNameTheKey) {
    EXPECT_NE(rejection(base("colour: blue\n")).find("unknown key \"colour\""), std::string::npos);
    EXPECT_NE(rejection(base("", "- name: m1\n  adress: 10.0.0.11\n")).find("\"systems[0].adress\""),
              std::string::npos);
    EXPECT_NE(rejection(base("ceph: {cephfs: maybe}\n")).find("\"ceph.cephfs\""), std::string::npos);
    EXPECT_NE(rejection(base("lookup_timeout: soon\n")).find("\"lookup_timeout\""), std::string::npos);
    EXPECT_NE(rejection("systems: {name: m1}\n").find("\"systems\""), std::string::npos);
    EXPECT_NE(rejection("initiator: [unclosed\n").find("preseed"), std::string::npos);
}

struct RuleCase {
    const char* what;
    std::string yaml;
    std::string message;
    LocalContext local = kM1;
};

class PreseedRules : public ::testing::TestWithParam<RuleCase> {};

TEST_P(PreseedRules, RejectWithUpstreamMessage) {
    const RuleCase& c = GetParam();
    EXPECT_NE(rejection(c.yaml, c.local).find(c.message), std::string::npos)
        << c.what << ": expected \"" << c.message << "\", got \"" << rejection(c.yaml, c.local) << "\"";
}

const std::string kTwo = "- name: m1\n- name: m2\n";

INSTANTIATE_TEST_SUITE_P(
    Upstream, PreseedRules,
    ::testing::Values(
        RuleCase{"no systems", "initiator: m1\nlookup_subnet: 10.0.0.0/24\nsession_passphrase: a b c d\n",
                 "No systems given"},
        RuleCase{"no initiator", "lookup_subnet: 10.0.0.0/24\nsession_passphrase: x\nsystems:\n" + kTwo,
                 "Missing initiator's name or address"},
        RuleCase{"both initiators", base("initiator_address: 10.0.0.11\n"),
                 "Cannot provide both the initiator's name and address"},
        RuleCase{"address and subnet",
                 "initiator_address: 10.0.0.11\nlookup_subnet: 10.0.0.0/24\nsession_passphrase: x\nsystems:\n" + kTwo,
                 "Cannot provide both the initiator's address and lookup subnet"},
        RuleCase{"no subnet", "initiator: m1\nsession_passphrase: x\nsystems:\n" + kTwo, "Missing lookup subnet"},
        RuleCase{"bad subnet", "initiator: m1\nlookup_subnet: 10.0.0.0\nsession_passphrase: x\nsystems:\n" + kTwo,
                 "Invalid lookup subnet \"10.0.0.0\""},
        RuleCase{"no passphrase", "initiator: m1\nlookup_subnet: 10.0.0.0/24\nsystems:\n" + kTwo,
                 "Missing session passphrase"},
        RuleCase{"nameless system", base("", "- name: m1\n- address: 10.0.0.12\n"), "Missing system name"},
        RuleCase{"duplicate name", base("", "- name: m1\n- name: m2\n- name: m2\n"), "Duplicate system name \"m2\""},
        RuleCase{"missing uplink",
                 base("ovn: {ipv4_gateway: 10.2.0.1/24}\n", "- name: m1\n  ovn_uplink_interface: u0\n- name: m2\n"),
                 "Some systems are missing an uplink interface"},
        RuleCase{"missing underlay", base("", "- name: m1\n  ovn_underlay_ip: 10.1.0.1\n- name: m2\n"),
                 "Some systems are missing an underlay interface"},
        RuleCase{"missing local disk", base("", "- name: m1\n  storage: {local: {path: /dev/vdb}}\n- name: m2\n"),
                 "Some systems are missing local storage disks"},
        RuleCase{"uplink without gateway",
                 base("", "- name: m1\n  ovn_uplink_interface: u0\n- name: m2\n  ovn_uplink_interface: u0\n"),
                 "Either the IPv4 or IPv6 gateway has to be set on the uplink network"},
        RuleCase{"range without gateway", base("ovn: {ipv4_range: 10.2.0.10-10.2.0.20}\n"),
                 "Cannot specify IPv4 range without IPv4 gateway"},
        RuleCase{"malformed range", base("ovn: {ipv4_gateway: 10.2.0.1/24, ipv4_range: 10.2.0.10}\n"),
                 "Invalid IPv4 range (must be of the form <ip>-<ip>)"},
        RuleCase{"backwards range", base("ovn: {ipv4_gateway: 10.2.0.1/24, ipv4_range: 10.2.0.20-10.2.0.10}\n"),
                 "the first address comes after the last"},
        RuleCase{"range outside", base("ovn: {ipv4_gateway: 10.2.0.1/24, ipv4_range: 10.3.0.10-10.3.0.20}\n"),
                 "inside the gateway's subnet"},
        RuleCase{"range with gateway", base("ovn: {ipv4_gateway: 10.2.0.1/24, ipv4_range: 10.2.0.1-10.2.0.20}\n"),
                 "includes the gateway address"},
        RuleCase{"range with a system", unicast("ovn: {ipv4_gateway: 10.0.0.1/24, ipv4_range: 10.0.0.10-10.0.0.20}\n"),
                 "includes the address of system \"m1\""},
        RuleCase{"gateway is the network", base("ovn: {ipv4_gateway: 10.2.0.0/24, ipv4_range: 10.2.0.9-10.2.0.20}\n"),
                 "not a host address"},
        RuleCase{"bad dns",
                 base("ovn: {ipv4_gateway: 10.2.0.1/24, ipv4_range: 10.2.0.9-10.2.0.20, dns_servers: one.one.one.one}\n"),
                 "Invalid dns.nameservers"},
        RuleCase{"ceph public without disks", base("ceph: {public_network: 10.0.0.0/24}\n"),
                 "Cannot specify a Ceph public network without Ceph storage disks"},
        RuleCase{"ceph internal without disks", base("ceph: {internal_network: 10.0.0.0/24}\n"),
                 "Cannot specify a Ceph internal network without Ceph storage disks"},
        RuleCase{"ceph subnet of one",
                 base("ceph: {public_network: 10.0.0.5/32}\nstorage: {ceph: [{find: '*', find_min: 1}]}\n"),
                 "Invalid Ceph network subnet (must have more than one address)"},
        RuleCase{"find_min 0", base("storage: {ceph: [{find: '*', find_min: 0}]}\n"),
                 "Remote storage filter cannot be defined with find_min less than 1"},
        RuleCase{"initiator already clustered", base(), "System with name/address \"m1\" is already clustered",
                 LocalContext{"m1", {"10.0.0.11"}, true}},
        RuleCase{"add from an uninitialised initiator", base("", "- name: m2\n- name: m3\n"),
                 "MicroCloud isn't yet initialized and cannot be the initiator"},
        RuleCase{"clustered joiner", base(), "MicroCloud is already initialized and can only be the initiator",
                 LocalContext{"m2", {"10.0.0.12"}, true}},
        RuleCase{"machine not listed", base("", "- name: m2\n- name: m3\n"),
                 "neither the initiator nor one of the systems listed", LocalContext{"m9", {"10.0.0.19"}, false}},
        // Upstream's rules added in its order (preseed.go's validate), each with upstream's words.
        RuleCase{"address with lookup subnet", base("", "- name: m1\n  address: 10.0.0.11\n- name: m2\n"),
                 "Cannot provide both the address for system \"m1\" and the lookup subnet"},
        RuleCase{"unicast system without address",
                 "initiator_address: 10.0.0.11\nsession_passphrase: x\nsystems:\n- name: m1\n  address: 10.0.0.11\n"
                 "- name: m2\n",
                 "Missing address for system \"m2\" when the initiator's address is set"},
        RuleCase{"bad underlay", base("", "- name: m1\n  ovn_underlay_ip: 10.1.0\n- name: m2\n"),
                 "Invalid underlay IP \"10.1.0\""},
        RuleCase{"bootstrap without this machine", base(), "Local MicroCloud must be included in the list of systems "
                 "when initializing", LocalContext{"m9", {"10.0.0.19"}, false}},
        RuleCase{"gateway without range", base("ovn: {ipv4_gateway: 10.2.0.1/24}\n"),
                 "Cannot specify IPv4 range without IPv4 gateway"},
        RuleCase{"gateway not cidr", base("ovn: {ipv4_gateway: 10.2.0.1, ipv4_range: 10.2.0.9-10.2.0.20}\n"),
                 "invalid CIDR address: 10.2.0.1"},
        RuleCase{"ipv6 gateway not cidr", base("ovn: {ipv6_gateway: 'fd00::1'}\n"), "invalid CIDR address: fd00::1"},
        RuleCase{"ceph public not a network",
                 base("ceph: {public_network: 10.0.0.5/24}\nstorage: {ceph: [{find: '*', find_min: 1}]}\n"),
                 "Invalid Ceph public network subnet: Not an IP network address \"10.0.0.5/24\""},
        RuleCase{"ceph internal not cidr",
                 base("ceph: {internal_network: 10.0.0.0}\nstorage: {ceph: [{find: '*', find_min: 1}]}\n"),
                 "Invalid Ceph internal network subnet: invalid CIDR address: 10.0.0.0"},
        RuleCase{"empty ceph filter", base("storage: {ceph: [{find: '', find_min: 1}]}\n"),
                 "Received empty remote disk filter"},
        RuleCase{"local find_max below find_min", base("storage: {local: [{find: '*', find_min: 2, find_max: 1}]}\n"),
                 "Invalid local storage filter constraints find_max (1) larger than find_min (2)"},
        // The first broken rule in upstream's order wins: a duplicate name before a bad gateway, an
        // uplink without gateway (checked at that system) before a later system's duplicate name.
        RuleCase{"order: duplicate before gateway",
                 base("ovn: {ipv4_gateway: nonsense}\n", "- name: m1\n- name: m1\n"), "Duplicate system name \"m1\""},
        RuleCase{"order: uplink gateway before duplicate",
                 base("", "- name: m1\n  ovn_uplink_interface: u0\n- name: m1\n  ovn_uplink_interface: u0\n"),
                 "Either the IPv4 or IPv6 gateway has to be set on the uplink network"},
        RuleCase{"order: missing uplink before ceph network",
                 base("ovn: {ipv4_gateway: 10.2.0.1/24}\nceph: {public_network: 10.0.0.0/24}\n",
                      "- name: m1\n  ovn_uplink_interface: u0\n- name: m2\n"),
                 "Some systems are missing an uplink interface"}),
    [](const ::testing::TestParamInfo<RuleCase>& info) {
        std::string name = info.param.what;
        for (char& c : name)
            if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
        return name;
    });

// Upstream's member_add example: the initiator not listed, the new system with an uplink and no
// ovn section (the gateway rule is a bootstrap's only).
TEST(Preseed, AddingASystemWithAnUplinkNeedsNoGateway) {
    const Preseed add = parse_preseed(base("", "- name: m4\n  ovn_uplink_interface: eth1\n"));
    EXPECT_EQ(validate_preseed(add, LocalContext{"m1", {"10.0.0.11"}, true}), PreseedRole::initiator_add);
}

// Unicast with IPv6: the machine whose system entry has the initiator's address is the initiator,
// whichever way the address is written.
TEST(Preseed, AnIpv6InitiatorAddressIsFoundInTheSystemsEntry) {
    const Preseed p = parse_preseed(
        "initiator_address: 'fd00::11'\nsession_passphrase: x\nsystems:\n- name: m1\n  address: 'fd00:0::11'\n"
        "- name: m2\n  address: 'fd00::12'\n");
    EXPECT_EQ(validate_preseed(p, LocalContext{"m1", {"10.0.0.11"}, false}), PreseedRole::initiator_bootstrap);
    EXPECT_EQ(validate_preseed(p, LocalContext{"m2", {"10.0.0.12"}, false}), PreseedRole::joiner);
}

TEST(Preseed, RoleFollowsInitiatorAndSystems) {
    EXPECT_EQ(validate_preseed(parse_preseed(base()), kM1), PreseedRole::initiator_bootstrap);
    EXPECT_EQ(validate_preseed(parse_preseed(base()), LocalContext{"m2", {"10.0.0.12"}, false}), PreseedRole::joiner);
    EXPECT_EQ(validate_preseed(parse_preseed(base("", "- name: m4\n")), LocalContext{"m1", {"10.0.0.11"}, true}),
              PreseedRole::initiator_add);
    EXPECT_EQ(validate_preseed(parse_preseed(unicast()), kM1), PreseedRole::initiator_bootstrap);
    EXPECT_EQ(validate_preseed(parse_preseed(unicast()), LocalContext{"m2", {"10.0.0.12"}, false}),
              PreseedRole::joiner);
}

// Upstream's rule: any non-empty passphrase (the four-word rule is the interactive prompt's), and
// none at all for a single system.
TEST(Preseed, PassphraseIsAnyTextAndOnlyNeededWithOthers) {
    const Preseed reference = parse_preseed(
        "initiator: m1\nlookup_subnet: 10.0.0.0/24\nsession_passphrase: 83P27XWKbDczUyE7xaX3pgVfaEacfQ2qiQ0r6gPb\n"
        "systems:\n" + kTwo);
    EXPECT_EQ(validate_preseed(reference, kM1), PreseedRole::initiator_bootstrap);
    EXPECT_EQ(reference.session_passphrase, "83P27XWKbDczUyE7xaX3pgVfaEacfQ2qiQ0r6gPb");
    const Preseed alone = parse_preseed("initiator: m1\nlookup_subnet: 10.0.0.0/24\nsystems:\n- name: m1\n");
    EXPECT_EQ(validate_preseed(alone, kM1), PreseedRole::initiator_bootstrap);
}

}  // namespace
}  // namespace microcloud::host::formation
