// plugins/ovn/ovn_discovery.hpp - gathers OvnObservations on this member: programs, database,
// kernel datapath, daemons. Commands go through an injected runner (Context::run in the plugin).
#pragma once

#include "ovn_report.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace microcloud::plugins::ovn {

// Where discovery looks; tests point these at fake trees.
struct SystemRoots {
    std::filesystem::path sys{"/sys"};
    std::filesystem::path proc{"/proc"};
    std::string path_env;  // $PATH used to find programs (plus the standard sbin/bin dirs)
    // The package database, which knows the versions of the programs its packages own.
    std::filesystem::path dpkg{"/var/lib/dpkg"};
};

/// Probes programs, the OVS database (its Open_vSwitch row, then its bridges), the kernel
/// datapath and the daemons' pid files. Never throws for what is absent.
OvnObservations observe_ovn(const OvnConfig& config, const CommandRunner& run, const SystemRoots& roots);

}  // namespace microcloud::plugins::ovn
