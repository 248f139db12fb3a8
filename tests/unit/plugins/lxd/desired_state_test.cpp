// tests/unit/plugins/lxd/desired_state_test.cpp - the pools, networks and profile a plan asks for.
#include "desired_state.hpp"

#include <gtest/gtest.h>

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
    EXPECT_EQ(local.members["m1"], (Json{{"source", "/dev/sdb"}, {"source.wipe", "true"}}));
    EXPECT_EQ(local.members["m2"], (Json{{"source", "/dev/sdc"}}));
    EXPECT_EQ(local_driver(input, LxdFacts{{"lvm"}, {{"local", "btrfs"}}}), "btrfs");  // the existing pool's
    input["config"] = {{"local_driver", "dir"}};
    EXPECT_EQ(local_driver(input, debian), "dir");
}

TEST(LxdDesiredState, CephAndOvnProvidersAddRemotePoolAndNetworks) {
    Json input = plan();
    input["published"] = {{"ceph", {{"cluster_name", "ceph"}, {"user", "admin"}}},
                          {"ovn", {{"northbound_connection", "tcp:10.0.0.1:6641"}}}};
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
    EXPECT_EQ(member_config_for(input, "m2", Json{{"pools", Json::object()}}), Json::array());
    EXPECT_EQ(member_config_for(input, "m2", Json{{"pools", {{"local", "dir"}}}}), Json::array());
    EXPECT_EQ(member_config_for(input, "m2", Json{{"pools", {{"local", "lvm"}}}, {"networks", {"UPLINK"}}}),
              (Json::array({{{"entity", "storage-pool"}, {"name", "local"}, {"key", "source"}, {"value", "/dev/sdc"}},
                            {{"entity", "network"}, {"name", "UPLINK"}, {"key", "parent"}, {"value", "eth2"}}})));
}

}  // namespace
}  // namespace microcloud::plugins::lxd
