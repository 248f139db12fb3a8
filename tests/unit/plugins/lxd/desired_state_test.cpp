// tests/unit/plugins/lxd/desired_state_test.cpp - the pools, networks and profile a plan asks for.
#include "desired_state.hpp"
#include "plan_input.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace microcloud::plugins::lxd {
namespace {

using sdk::Json;

Json plan() {
    return Json{{"members", {"m1", "m2"}},
                {"config", Json::object()},
                {"preseed", {{"systems", Json::array({{{"name", "m1"}}, {{"name", "m2"}}})}}},
                {"published", Json::object()}};
}

const LxdFacts debian{{"ceph", "cephfs", "dir", "lvm"}, Json::object()};

// Discovery reports whose kernel facts are `kernel` on every member of plan().
Json discovery_with(const Json& kernel) {
    return Json{{"m1", {{"kernel", kernel}}}, {"m2", {{"kernel", kernel}}}};
}

const Json full_kernel{{"rbd", true}, {"ceph", true}, {"device_mapper", true}};

TEST(LxdDesiredState, WithoutProvidersALocalDirPoolAndARootDisk) {
    const DesiredState state = desired_state(plan(), debian);
    ASSERT_EQ(state.entities.size(), 1u);
    const Entity& local = state.entities[0];
    EXPECT_EQ(local.kind, "storage-pool");
    EXPECT_EQ(local.name, "local");
    EXPECT_EQ(local.type, "dir");
    EXPECT_EQ(local.members, (Json{{"m1", Json::object()}, {"m2", Json::object()}}));
    EXPECT_EQ(state.profile_devices, (Json{{"root", {{"type", "disk"}, {"path", "/"}, {"pool", "local"}}}}));
    EXPECT_TRUE(state.server_config.empty());
}

TEST(LxdDesiredState, DriverChoice) {
    Json input = plan();
    EXPECT_EQ(local_driver(input, LxdFacts{{"dir", "zfs"}, {}}), "zfs");  // zfs needs no disk
    input["preseed"]["systems"][0]["storage"] = {{"local", {{"path", "/dev/sdb"}, {"wipe", true}}}};
    EXPECT_EQ(local_driver(input, debian), "dir");  // m2 has no disk
    input["preseed"]["systems"][1]["storage"] = {{"local", {{"path", "/dev/sdc"}}}};
    EXPECT_EQ(local_driver(input, debian), "lvm");
    const Entity local = desired_state(input, debian).entities[0];
    // LXD 5.0 has no source.wipe: m1's join wipes the disk instead.
    EXPECT_EQ(local.members["m1"], (Json{{"source", "/dev/sdb"}}));
    EXPECT_EQ(local.members["m2"], (Json{{"source", "/dev/sdc"}}));
    EXPECT_EQ(local_driver(input, LxdFacts{{"lvm"}, {{"local", "btrfs"}}}), "btrfs");  // the existing pool's
    input["config"] = {{"local_driver", "dir"}};
    EXPECT_EQ(local_driver(input, debian), "dir");
}

TEST(LxdDesiredState, CephAndOvnProvidersAddRemotePoolAndNetworks) {
    Json input = plan();
    input["published"] = {{"ceph", {{"cluster_name", "ceph"}, {"user", "admin"}}},
                          {"ovn", {{"northbound_connection", "tcp:10.0.0.1:6641"}}}};
    input["discovery"] = discovery_with(full_kernel);
    input["preseed"]["ovn"] = {{"ipv4_gateway", "10.172.1.1/24"}, {"ipv4_range", "10.172.1.100-10.172.1.150"}};
    input["preseed"]["systems"][0]["ovn_uplink_interface"] = "uplink0";
    input["preseed"]["systems"][1]["ovn_uplink_interface"] = "eth2";
    const DesiredState state = desired_state(input, debian);
    ASSERT_EQ(state.entities.size(), 4u);
    EXPECT_EQ(state.entities[1].name, "remote");
    EXPECT_EQ(state.entities[1].config.at("ceph.osd.pool_name"), "lxd_remote");
    EXPECT_EQ(state.entities[1].config.at("ceph.user.name"), "admin");
    EXPECT_EQ(state.entities[2].name, "UPLINK");
    EXPECT_EQ(state.entities[2].config.at("ipv4.ovn.ranges"), "10.172.1.100-10.172.1.150");
    EXPECT_EQ(state.entities[2].members, (Json{{"m1", {{"parent", "uplink0"}}}, {"m2", {{"parent", "eth2"}}}}));
    EXPECT_EQ(state.entities[3].name, "default");
    EXPECT_FALSE(state.entities[3].per_member);
    EXPECT_EQ(state.server_config.at("network.ovn.northbound_connection"), "tcp:10.0.0.1:6641");
    EXPECT_EQ(state.profile_devices.at("root").at("pool"), "remote");
    EXPECT_EQ(state.profile_devices.at("eth0").at("network"), "default");
}

TEST(LxdDesiredState, OvnNetworkGetsAFreeSubnetAndLxdTheProvidersTlsFiles) {
    Json input = plan();
    input["addresses"] = {{"m1", "10.218.0.11"}, {"m2", "10.218.0.12"}};
    input["published"] = {{"ovn",
                           {{"northbound_connection", "ssl:10.0.0.1:6641"},
                            {"ca_cert", "CA"},
                            {"client_cert", "CERT"},
                            {"client_key", "KEY"}}}};
    input["preseed"]["ovn"] = {{"ipv4_gateway", "10.218.1.1/23"}, {"ipv4_range", "10.218.1.100-10.218.1.150"}};
    LxdFacts newer = debian;
    newer.ovn_ssl_config = true;
    const DesiredState state = desired_state(input, newer);
    const Entity& network = state.entities.back();
    ASSERT_EQ(network.name, "default");
    // 10.218.0.0/24 holds the members and 10.218.0.0/23 the uplink: the first free /24 is .2.
    EXPECT_EQ(network.config.at("ipv4.address"), "10.218.2.1/24");
    EXPECT_EQ(network.config.at("ipv4.nat"), "true");
    EXPECT_EQ(network.config.at("ipv6.address"), "none");
    EXPECT_EQ(state.server_config.at("network.ovn.northbound_connection"), "ssl:10.0.0.1:6641");
    EXPECT_EQ(state.server_config.at("network.ovn.ca_cert"), "CA");
    EXPECT_EQ(state.server_config.at("network.ovn.client_cert"), "CERT");
    EXPECT_EQ(state.server_config.at("network.ovn.client_key"), "KEY");
    EXPECT_EQ(ovn_internal_subnet(Json::object()), "10.218.0.1/24");
    // LXD 5.0 has no such keys: it reads the files each member's join wrote.
    const DesiredState older = desired_state(input, debian);
    EXPECT_EQ(older.server_config, (Json{{"network.ovn.northbound_connection", "ssl:10.0.0.1:6641"}}));
}

TEST(LxdDesiredState, FanWhenNoOvn) {
    Json input = plan();
    input["published"] = {{"fan", {{"underlay_subnet", "10.173.0.0/16"}}}};
    const DesiredState state = desired_state(input, debian);
    ASSERT_EQ(state.entities.size(), 2u);
    EXPECT_EQ(state.entities[1].name, "lxdfan0");
    EXPECT_EQ(state.entities[1].config, (Json{{"bridge.mode", "fan"}, {"fan.underlay_subnet", "10.173.0.0/16"}}));
    EXPECT_EQ(state.profile_devices.at("eth0").at("network"), "lxdfan0");
}

TEST(LxdDesiredState, MemberConfigOnlyForWhatExists) {
    Json input = plan();
    input["preseed"]["systems"][1]["storage"] = {{"local", {{"path", "/dev/sdc"}}}};
    input["preseed"]["systems"][1]["ovn_uplink_interface"] = "eth2";
    EXPECT_EQ(member_config_for(input, "m2", Json{{"pools", Json::object()}}, debian), Json::array());
    EXPECT_EQ(member_config_for(input, "m2", Json{{"pools", {{"local", "dir"}}}}, debian), Json::array());
    EXPECT_EQ(member_config_for(input, "m2", Json{{"pools", {{"local", "lvm"}}}, {"networks", {"UPLINK"}}}, debian),
              (Json::array({{{"entity", "storage-pool"}, {"name", "local"}, {"key", "source"}, {"value", "/dev/sdc"}},
                            {{"entity", "network"}, {"name", "UPLINK"}, {"key", "parent"}, {"value", "eth2"}}})));
}

TEST(LxdDesiredState, LocalDiskIsTheHostsChoiceElseThePreseeds) {
    Json input = plan();
    input["preseed"]["systems"][0]["storage"] = {{"local", {{"path", "/dev/sdb"}}}};
    EXPECT_EQ(local_disk(input, "m1"), (Json{{"path", "/dev/sdb"}}));
    EXPECT_EQ(local_disk(input, "m2"), Json::object());
    // The host's selection (here from a storage.local filter) wins over systems[].storage.local.
    const Json chosen{{"path", "/dev/disk/by-id/virtio-b"}, {"wipe", true}, {"source", "storage.local[0]"}};
    input["disks"] = {{"m1", {{"local", chosen}, {"ceph", Json::array()}, {"passed_over", Json::array()}}},
                      {"m2", {{"local", {{"path", "/dev/vdc"}, {"wipe", false}, {"source", "storage.local[0]"}}}}}};
    EXPECT_EQ(local_disk(input, "m1"), chosen);
    EXPECT_EQ(local_disk(input, "m2").at("path"), "/dev/vdc");
    // No choice (null), a choice without a path, or no entry: the preseed's.
    for (const Json& none : {Json(nullptr), Json{{"wipe", true}}, Json{{"path", ""}}}) {
        input["disks"]["m1"]["local"] = none;
        EXPECT_EQ(local_disk(input, "m1"), (Json{{"path", "/dev/sdb"}})) << none.dump();
    }
    input["disks"] = {{"m2", {{"local", nullptr}}}};
    EXPECT_EQ(local_disk(input, "m1"), (Json{{"path", "/dev/sdb"}}));
    EXPECT_EQ(local_disk(input, "m2"), Json::object());
    input["disks"] = "not an object";
    EXPECT_EQ(local_disk(input, "m1"), (Json{{"path", "/dev/sdb"}}));
}

TEST(LxdDesiredState, WipeIsLxdsWithSourceWipeElseTheMembersJoin) {
    Json input = plan();
    input["disks"] = {{"m1", {{"local", {{"path", "/dev/sdb"}, {"wipe", true}}}}},
                      {"m2", {{"local", {{"path", "/dev/sdc"}, {"wipe", false}}}}}};
    LxdFacts newer = debian;
    newer.source_wipe = true;
    struct Case {
        const char* what;
        std::string member;
        std::string driver;
        const LxdFacts& facts;
        Json keys;
        std::optional<std::string> wiped_by_join;
    };
    const Case cases[] = {
        {"5.0, wipe", "m1", "lvm", debian, {{"source", "/dev/sdb"}}, "/dev/sdb"},
        {"5.21, wipe", "m1", "lvm", newer, {{"source", "/dev/sdb"}, {"source.wipe", "true"}}, std::nullopt},
        {"5.0, no wipe", "m2", "btrfs", debian, {{"source", "/dev/sdc"}}, std::nullopt},
        {"5.21, no wipe", "m2", "zfs", newer, {{"source", "/dev/sdc"}}, std::nullopt},
        {"dir uses no disk", "m1", "dir", debian, Json::object(), std::nullopt},
        {"dir uses no disk (5.21)", "m1", "dir", newer, Json::object(), std::nullopt},
        {"no disk", "m3", "lvm", debian, Json::object(), std::nullopt},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(local_member_keys(input, c.member, c.driver, c.facts), c.keys) << c.what;
        EXPECT_EQ(disk_to_wipe(input, c.member, c.driver, c.facts), c.wiped_by_join) << c.what;
    }
    // A member joining a cluster whose `local` exists sends the same keys.
    EXPECT_EQ(
        member_config_for(input, "m1", Json{{"pools", {{"local", "lvm"}}}}, debian),
        (Json::array({{{"entity", "storage-pool"}, {"name", "local"}, {"key", "source"}, {"value", "/dev/sdb"}}})));
    EXPECT_EQ(member_config_for(input, "m1", Json{{"pools", {{"local", "lvm"}}}}, newer).size(), 2u);
    // The plan's pool: 5.0 is never sent source.wipe.
    EXPECT_EQ(desired_state(input, debian).entities[0].members,
              (Json{{"m1", {{"source", "/dev/sdb"}}}, {"m2", {{"source", "/dev/sdc"}}}}));
    EXPECT_EQ(desired_state(input, newer).entities[0].members.at("m1").at("source.wipe"), "true");
}

TEST(LxdDesiredState, LvmOnlyWhereTheKernelsHaveTheDeviceMapper) {
    Json input = plan();
    input["disks"] = {{"m1", {{"local", {{"path", "/dev/loop1"}}}}}, {"m2", {{"local", {{"path", "/dev/loop2"}}}}}};
    EXPECT_EQ(local_driver(input, debian), "lvm");  // unknown kernels: LXD's own list decides
    input["discovery"] = discovery_with(full_kernel);
    EXPECT_EQ(local_driver(input, debian), "lvm");
    input["discovery"]["m2"]["kernel"]["device_mapper"] = false;
    EXPECT_EQ(local_driver(input, debian), "dir");
    const DesiredState state = desired_state(input, debian);
    EXPECT_EQ(state.entities[0].type, "dir");
    EXPECT_EQ(state.entities[0].members, (Json{{"m1", Json::object()}, {"m2", Json::object()}}));
    EXPECT_EQ(state.notes, (std::vector<std::string>{
                               "the local disks of m1, m2 are not used: pool \"local\" uses the dir driver (LXD's lvm "
                               "needs the device-mapper, which the kernel of m2 lacks)"}));
    EXPECT_EQ(local_driver(input, LxdFacts{{"btrfs", "dir", "lvm"}, {}}), "btrfs");
    EXPECT_TRUE(desired_state(input, LxdFacts{{"btrfs", "dir", "lvm"}, {}}).notes.empty());
    EXPECT_EQ(desired_state(input, LxdFacts{{"dir"}, {}}).notes,
              (std::vector<std::string>{"the local disks of m1, m2 are not used: pool \"local\" uses the dir driver "
                                        "(LXD here offers none of zfs, btrfs, lvm)"}));
}

// What the Ceph provider published in the lab: its join's answer and its configure's.
Json ceph_published(bool cephfs) {
    Json configure{{"pool", "lxd_remote"}};
    if (cephfs) configure["cephfs"] = "lxd_cephfs";
    return Json{{"ceph", {{"cluster_name", "ceph"}, {"user", "admin"}, {"pool", "lxd_remote"}}},
                {"ceph.configure", configure}};
}

std::vector<std::string> names_of(const DesiredState& state) {
    std::vector<std::string> out;
    for (const Entity& entity : state.entities) out.push_back(entity.name);
    return out;
}

TEST(LxdDesiredState, CephPoolsAndRootDiskFollowTheKernels) {
    const Json no_modules{{"rbd", false}, {"ceph", false}, {"device_mapper", true}};
    const Json rbd_only{{"rbd", true}, {"ceph", false}};
    struct Case {
        const char* what;
        Json published;
        Json discovery;  // null: no discovery in the input
        std::vector<std::string> entities;
        std::string root;
        std::vector<std::string> notes;
    };
    const Case cases[] = {
        {"no Ceph", Json::object(), discovery_with(full_kernel), {"local"}, "local", {}},
        {"every kernel has rbd and ceph",
         ceph_published(true),
         discovery_with(full_kernel),
         {"local", "remote", "remote-fs"},
         "remote",
         {}},
        {"no file system published",
         ceph_published(false),
         discovery_with(full_kernel),
         {"local", "remote"},
         "remote",
         {}},
        {"the lab: neither module",
         ceph_published(true),
         discovery_with(no_modules),
         {"local", "remote"},
         "local",
         {"root disk stays on pool \"local\": the kernel of m1, m2 cannot map RBD images (no rbd module)",
          "pool \"remote-fs\" not created: the kernel of m1, m2 has no ceph filesystem (no ceph module)"}},
        {"rbd but no ceph module",
         ceph_published(true),
         discovery_with(rbd_only),
         {"local", "remote"},
         "remote",
         {"pool \"remote-fs\" not created: the kernel of m1, m2 has no ceph filesystem (no ceph module)"}},
        {"one member without",
         ceph_published(true),
         Json{{"m1", {{"kernel", full_kernel}}}, {"m2", {{"kernel", no_modules}}}},
         {"local", "remote"},
         "local",
         {"root disk stays on pool \"local\": the kernel of m2 cannot map RBD images (no rbd module)",
          "pool \"remote-fs\" not created: the kernel of m2 has no ceph filesystem (no ceph module)"}},
        {"no discovery: unknown counts as cannot",
         ceph_published(true),
         nullptr,
         {"local", "remote"},
         "local",
         {"root disk stays on pool \"local\": the kernel of m1, m2 is unknown (no kernel facts in its LXD discovery "
          "report)",
          "pool \"remote-fs\" not created: the kernel of m1, m2 is unknown (no kernel facts in its LXD discovery "
          "report)"}},
        {"one known, one unknown",
         ceph_published(false),
         Json{{"m1", {{"kernel", no_modules}}}, {"m2", {{"running", true}}}},
         {"local", "remote"},
         "local",
         {"root disk stays on pool \"local\": the kernel of m1 cannot map RBD images (no rbd module); the kernel of m2 "
          "is unknown (no kernel facts in its LXD discovery report)"}},
    };
    for (const Case& c : cases) {
        Json input = plan();
        input["published"] = c.published;
        if (!c.discovery.is_null()) input["discovery"] = c.discovery;
        const DesiredState state = desired_state(input, debian);
        EXPECT_EQ(names_of(state), c.entities) << c.what;
        EXPECT_EQ(state.profile_devices.at("root").at("pool"), c.root) << c.what;
        EXPECT_EQ(state.notes, c.notes) << c.what;
    }
}

TEST(LxdDesiredState, RemotePoolsKeys) {
    Json input = plan();
    input["published"] = ceph_published(true);
    input["published"]["ceph.configure"]["pool"] = "lxd_remote2";
    input["discovery"] = discovery_with(full_kernel);
    const DesiredState state = desired_state(input, debian);
    ASSERT_EQ(names_of(state), (std::vector<std::string>{"local", "remote", "remote-fs"}));
    const Entity& remote = state.entities[1];
    EXPECT_EQ(remote.type, "ceph");
    EXPECT_EQ(remote.config, (Json{{"ceph.osd.pool_name", "lxd_remote2"},
                                   {"ceph.cluster_name", "ceph"},
                                   {"ceph.user.name", "admin"},
                                   {"ceph.rbd.du", "false"}}));
    EXPECT_EQ(remote.members, (Json{{"m1", {{"source", "lxd_remote2"}}}, {"m2", {{"source", "lxd_remote2"}}}}));
    // LXD 5.0 calls a Ceph pool without another LXD's placeholder "pristine" and deletes it with
    // `remote`: the Ceph provider's pool is marked as not LXD's.
    EXPECT_EQ(remote.after_create, (Json{{"volatile.pool.pristine", "false"}}));
    const Entity& fs = state.entities[2];
    EXPECT_EQ(fs.type, "cephfs");
    // Only keys LXD 5.0's cephfs driver takes; no create_missing/meta_pool/data_pool for an existing fs.
    EXPECT_EQ(fs.config, (Json{{"cephfs.cluster_name", "ceph"}, {"cephfs.user.name", "admin"}}));
    EXPECT_EQ(fs.members, (Json{{"m1", {{"source", "lxd_cephfs"}}}, {"m2", {{"source", "lxd_cephfs"}}}}));
    EXPECT_TRUE(fs.after_create.empty());

    // The pool's name: configure's answer, else the join's, else lxd_remote.
    input["published"]["ceph.configure"].erase("pool");
    input["published"]["ceph"]["pool"] = "from_join";
    EXPECT_EQ(desired_state(input, debian).entities[1].config.at("ceph.osd.pool_name"), "from_join");
    input["published"]["ceph"].erase("pool");
    EXPECT_EQ(desired_state(input, debian).entities[1].config.at("ceph.osd.pool_name"), "lxd_remote");
    EXPECT_EQ(desired_state(input, debian).entities[1].members.at("m2").at("source"), "lxd_remote");
}

TEST(LxdDesiredState, CephPoolsNeedLxdsDrivers) {
    Json input = plan();
    input["published"] = ceph_published(true);
    input["discovery"] = discovery_with(full_kernel);
    const DesiredState state = desired_state(input, LxdFacts{{"dir", "lvm"}, {}});
    EXPECT_EQ(names_of(state), std::vector<std::string>{"local"});
    EXPECT_EQ(state.profile_devices.at("root").at("pool"), "local");
    EXPECT_EQ(state.notes,
              (std::vector<std::string>{"pool \"remote\" not created: LXD here offers no ceph storage driver",
                                        "pool \"remote-fs\" not created: LXD here offers no cephfs storage driver"}));
}

TEST(LxdDesiredState, JoinerSendsTheRemotePoolsSources) {
    Json input = plan();
    input["published"] = ceph_published(true);
    EXPECT_EQ(member_config_for(input, "m2", Json{{"pools", {{"remote", "ceph"}, {"remote-fs", "cephfs"}}}}, debian),
              (Json::array(
                  {{{"entity", "storage-pool"}, {"name", "remote"}, {"key", "source"}, {"value", "lxd_remote"}},
                   {{"entity", "storage-pool"}, {"name", "remote-fs"}, {"key", "source"}, {"value", "lxd_cephfs"}}})));
}

}  // namespace
}  // namespace microcloud::plugins::lxd
