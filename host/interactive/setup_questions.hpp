// host/interactive/setup_questions.hpp - what `microcloud init` and `add` ask once the systems are
// chosen, in upstream's order and words: local storage (one disk per system, wipe), distributed
// storage (Ceph disks, wipe, encrypt, CephFS, Ceph networks), distributed networking (an OVN
// uplink per system, gateways, range, DNS, a dedicated underlay). The answers become a preseed
// document (upstream's format), which forms the components exactly as a preseed file would and
// can be printed for the user to keep.
#pragma once

#include "interactive/asker.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace microcloud::host::interactive {

struct SetupMember {
    std::string name{};
    std::string address{};       // its MicroCloud address (an IP)
    nlohmann::json facts{};      // its system facts: disks and interfaces (host/system/facts.hpp)
    nlohmann::json ovn_report{};  // the OVN plugin's discovery report on it (interfaces judged as uplinks), or null
};

struct SetupInput {
    std::string initiator{};        // this system's name (the preseed's initiator)
    std::string lookup_subnet{};    // the network of the MicroCloud addresses, e.g. 10.171.1.0/24
    std::vector<SetupMember> members{};  // the systems whose components are set up now
    bool bootstrap = true;          // a new cloud (init), or systems added to one (add)
    bool local = true;              // ask about local storage (not when adding services to a cloud)
    bool ceph = false;              // the Ceph plugin is loaded: ask about distributed storage
    bool ovn = false;               // the OVN plugin is loaded: ask about distributed networking
    bool ovn_formed = false;        // OVN already runs in the cloud: adding systems joins it without asking
};

// Asks the questions; returns the preseed document: initiator, lookup_subnet, systems (with
// storage and ovn_uplink_interface / ovn_underlay_ip as chosen), and the ovn and ceph sections
// where answered. Throws Error("aborted") where upstream ends the setup (no uplink and the user
// does not continue; no gateway given).
nlohmann::json ask_setup(Asker& asker, const SetupInput& input);

// "10.00GiB": a size in bytes with IEC units and two decimals, as upstream's tables show capacity.
std::string iec_size(double bytes);

}  // namespace microcloud::host::interactive
