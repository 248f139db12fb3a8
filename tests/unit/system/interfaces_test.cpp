// tests/unit/system/interfaces_test.cpp - interface type detection and fields from a fake sysfs.
#include "fake_root.hpp"

#include "common/error.hpp"
#include "system/interfaces.hpp"

#include <gtest/gtest.h>

#include <map>

namespace microcloud::host::system {
namespace {

using testing::FakeRoot;

// A basic interface directory under <sys>/class/net.
void add_interface(const FakeRoot& root, const std::string& name, const std::string& operstate = "up",
                   const std::string& type = "1") {
    const std::string dir = "sys/class/net/" + name + "/";
    root.write(dir + "type", type + "\n");
    root.write(dir + "operstate", operstate + "\n");
    root.write(dir + "mtu", "1500\n");
    root.write(dir + "address", "52:54:00:12:34:56\n");
    root.write(dir + "uevent", "INTERFACE=" + name + "\nIFINDEX=7\n");
}

// Answers like the ethtool ioctl would for the named interfaces.
DriverQuery fake_drivers(std::map<std::string, std::string> drivers) {
    return [drivers = std::move(drivers)](const std::string& name) {
        auto it = drivers.find(name);
        return it == drivers.end() ? std::string{} : it->second;
    };
}

const nlohmann::json& find(const nlohmann::json& interfaces, const std::string& name) {
    for (const auto& interface : interfaces)
        if (interface["name"] == name) return interface;
    throw std::runtime_error("no interface " + name);
}

class InterfacesTest : public ::testing::Test {
protected:
    void SetUp() override {
        add_interface(root, "lo", "unknown", "772");
        root.write("sys/class/net/lo/address", "00:00:00:00:00:00\n");
        root.write("sys/class/net/lo/mtu", "65536\n");

        add_interface(root, "eth0");
        root.link("sys/devices/pci0000:00/virtio2/driver", "../../../bus/virtio/drivers/virtio_net");
        root.link("sys/class/net/eth0/device", "../../../devices/pci0000:00/virtio2");
        root.link("sys/class/net/eth0/master", "../br0");

        add_interface(root, "br0");
        root.mkdir("sys/class/net/br0/bridge");
        root.link("sys/class/net/br0/lower_eth0", "../eth0");
        root.write("sys/class/net/br0/uevent", "DEVTYPE=bridge\nINTERFACE=br0\n");

        add_interface(root, "bond0", "down");
        root.mkdir("sys/class/net/bond0/bonding");

        add_interface(root, "eth0.100", "lowerlayerdown");
        root.write("sys/class/net/eth0.100/uevent", "DEVTYPE=vlan\nINTERFACE=eth0.100\nIFINDEX=9\n");
        root.link("sys/class/net/eth0.100/lower_eth0", "../eth0");

        add_interface(root, "tap0", "down", "1");
        root.write("sys/class/net/tap0/tun_flags", "0x1002\n");

        add_interface(root, "veth1");
        add_interface(root, "dummy0", "unknown");
        root.write("sys/class/net/bonding_masters", "bond0\n");
    }

    nlohmann::json read() const {
        return read_interfaces(root.roots(), fake_drivers({{"veth1", "veth"}, {"dummy0", "dummy"}}));
    }

    FakeRoot root;
};

TEST_F(InterfacesTest, DetectsEachType) {
    const auto interfaces = read();
    EXPECT_EQ(find(interfaces, "lo")["type"], "loopback");
    EXPECT_EQ(find(interfaces, "eth0")["type"], "physical");
    EXPECT_EQ(find(interfaces, "br0")["type"], "bridge");
    EXPECT_EQ(find(interfaces, "bond0")["type"], "bond");
    EXPECT_EQ(find(interfaces, "eth0.100")["type"], "vlan");
    EXPECT_EQ(find(interfaces, "tap0")["type"], "tun");
    EXPECT_EQ(find(interfaces, "veth1")["type"], "veth");
    EXPECT_EQ(find(interfaces, "dummy0")["type"], "other");
}

TEST_F(InterfacesTest, SkipsFilesAndSortsByName) {
    const auto interfaces = read();
    ASSERT_EQ(interfaces.size(), 8u);
    EXPECT_EQ(interfaces.front()["name"], "bond0");
    EXPECT_EQ(interfaces.back()["name"], "veth1");
}

TEST_F(InterfacesTest, ReadsFieldsOfAPhysicalPortInABridge) {
    const auto eth0 = find(read(), "eth0");
    EXPECT_EQ(eth0["state"], "up");
    EXPECT_EQ(eth0["mtu"], 1500);
    EXPECT_EQ(eth0["mac"], "52:54:00:12:34:56");
    EXPECT_EQ(eth0["master"], "br0");
    EXPECT_EQ(eth0["bridge"], false);
    EXPECT_EQ(eth0["parent"], "");
    EXPECT_EQ(eth0["driver"], "virtio_net");
    EXPECT_EQ(eth0["addresses"], nlohmann::json::array());
}

TEST_F(InterfacesTest, BridgeIsFlaggedAndHasNoParent) {
    const auto br0 = find(read(), "br0");
    EXPECT_EQ(br0["bridge"], true);
    EXPECT_EQ(br0["parent"], "");
    EXPECT_EQ(br0["master"], "");
}

TEST_F(InterfacesTest, VlanNamesItsParent) {
    const auto vlan = find(read(), "eth0.100");
    EXPECT_EQ(vlan["parent"], "eth0");
    EXPECT_EQ(vlan["state"], "down");
}

TEST_F(InterfacesTest, DriverComesFromTheQueryForVirtualDevices) {
    const auto interfaces = read();
    EXPECT_EQ(find(interfaces, "veth1")["driver"], "veth");
    EXPECT_EQ(find(interfaces, "dummy0")["driver"], "dummy");
    EXPECT_EQ(find(interfaces, "lo")["driver"], "");
    EXPECT_EQ(find(interfaces, "lo")["state"], "unknown");
    EXPECT_EQ(find(interfaces, "lo")["mtu"], 65536);
}

TEST_F(InterfacesTest, CollectMergesAddressesFromTheSource) {
    InterfaceSources sources{fake_drivers({}), [] {
                                 return std::vector<InterfaceAddress>{
                                     {"lo", "inet", "127.0.0.1", 8, "host"},
                                     {"br0", "inet", "10.0.0.2", 24, "global"},
                                 };
                             }};
    const auto interfaces = collect_interfaces(root.roots(), sources);
    ASSERT_EQ(find(interfaces, "br0")["addresses"].size(), 1u);
    EXPECT_EQ(find(interfaces, "br0")["addresses"][0]["address"], "10.0.0.2");
    EXPECT_EQ(find(interfaces, "veth1")["type"], "other");  // no driver answer, no veth
}

TEST(InterfaceState, MapsOperstate) {
    EXPECT_EQ(interface_state("up"), "up");
    EXPECT_EQ(interface_state("down"), "down");
    EXPECT_EQ(interface_state("lowerlayerdown"), "down");
    EXPECT_EQ(interface_state("notpresent"), "down");
    EXPECT_EQ(interface_state("unknown"), "unknown");
    EXPECT_EQ(interface_state("dormant"), "unknown");
}

TEST(WithAddresses, AppendsInOrderAndDropsUnknownInterfaces) {
    auto interfaces = nlohmann::json::array({{{"name", "eth0"}, {"addresses", nlohmann::json::array()}},
                                             {{"name", "lo"}, {"addresses", nlohmann::json::array()}}});
    const std::vector<InterfaceAddress> addresses{
        {"eth0", "inet", "192.0.2.10", 24, "global"},
        {"ghost", "inet", "198.51.100.1", 24, "global"},
        {"eth0", "inet6", "fe80::1", 64, "link"},
    };
    const auto merged = with_addresses(interfaces, addresses);
    ASSERT_EQ(merged[0]["addresses"].size(), 2u);
    EXPECT_EQ(merged[0]["addresses"][0],
              (nlohmann::json{{"family", "inet"}, {"address", "192.0.2.10"}, {"prefix", 24}, {"scope", "global"}}));
    EXPECT_EQ(merged[0]["addresses"][1]["family"], "inet6");
    EXPECT_TRUE(merged[1]["addresses"].empty());
}

TEST(ReadInterfaces, MissingSysfsIsAnError) {
    FakeRoot root;
    try {
        read_interfaces(root.roots(), {});
        FAIL() << "expected an error";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "system_facts_unreadable");
        EXPECT_NE(std::string(error.what()).find("class/net"), std::string::npos);
    }
}

}  // namespace
}  // namespace microcloud::host::system
