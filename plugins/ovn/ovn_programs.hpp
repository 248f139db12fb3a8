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

// In the order they are looked for. Debian's Open vSwitch packages require one another at the same
// version, and so do OVN's: the first program of each component that answers `--version` gives the
// component's version, and the others are only looked for (each answer is a process start, and
// discovery runs on every member at once). The client tools come first: every OVN member has them.
inline constexpr ProgramSpec kOvnPrograms[] = {
    {"ovs-vsctl", "openvswitch-switch", Component::openvswitch},
    {"ovs-vswitchd", "openvswitch-switch", Component::openvswitch},
    {"ovsdb-server", "openvswitch-common", Component::openvswitch},
    {"ovn-nbctl", "ovn-common", Component::ovn},
    {"ovn-sbctl", "ovn-common", Component::ovn},
    {"ovn-controller", "ovn-host", Component::ovn},
    {"ovn-northd", "ovn-central", Component::ovn},
};

// Oldest supported versions (as in manifest.json "supports").
inline constexpr const char* kMinimumOpenvswitch = "2.17";
inline constexpr const char* kMinimumOvn = "22.03";

}  // namespace microcloud::plugins::ovn
