// host/system/facts.hpp - this machine's facts (hostname, interfaces, disks, default route) as JSON.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>

namespace microcloud::host::system {

// Where the kernel's views are mounted; tests point these at fake trees.
struct FactsRoots {
    std::filesystem::path sys{"/sys"};
    std::filesystem::path proc{"/proc"};
    std::filesystem::path dev{"/dev"};
};

// {"hostname", "interfaces": [...], "disks": [...], "default_route": {...} or null}.
nlohmann::json collect_facts(const FactsRoots& roots = {});

// One object per network interface, sorted by name:
// {name, type, state, mtu, mac, addresses: [{family, address, prefix, scope}], bridge, master,
//  parent, driver}.
nlohmann::json collect_interfaces(const FactsRoots& roots = {});

// One object per block device that could hold data, sorted by name:
// {name, path, id, size, model, vendor, serial, type, removable, read_only, backing_file,
//  partitions: [{name, path, size, in_use, in_use_reason}], in_use, in_use_reason}.
nlohmann::json collect_disks(const FactsRoots& roots = {});

// {interface, gateway, metric, address, subnet} of the default IPv4 route, or null when none.
nlohmann::json default_ipv4_route(const FactsRoots& roots = {});

}  // namespace microcloud::host::system
