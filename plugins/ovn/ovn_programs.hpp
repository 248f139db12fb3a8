// plugins/ovn/ovn_programs.hpp - the programs that make up OVS/OVN on a member.
#pragma once

namespace microcloud::plugins::ovn {

// Which versioned component a program belongs to.
enum class Component { openvswitch, ovn };

struct ProgramSpec {
    const char* name;
    const char* package;  // Debian package that ships it
    Component component;
};

// In the order they are probed and reported; the first of each component that reports a
// version gives the component's version.
inline constexpr ProgramSpec kOvnPrograms[] = {
    {"ovs-vswitchd", "openvswitch-switch", Component::openvswitch},
    {"ovsdb-server", "openvswitch-common", Component::openvswitch},
    {"ovs-vsctl", "openvswitch-switch", Component::openvswitch},
    {"ovn-controller", "ovn-host", Component::ovn},
    {"ovn-northd", "ovn-central", Component::ovn},
    {"ovn-nbctl", "ovn-common", Component::ovn},
    {"ovn-sbctl", "ovn-common", Component::ovn},
};

// Oldest supported versions (as in manifest.json "supports").
inline constexpr const char* kMinimumOpenvswitch = "2.17";
inline constexpr const char* kMinimumOvn = "22.03";

}  // namespace microcloud::plugins::ovn
