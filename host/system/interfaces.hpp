// host/system/interfaces.hpp - network interfaces from sysfs, with seams for the driver and addresses.
#pragma once

#include "system/addresses.hpp"
#include "system/facts.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace microcloud::host::system {

// Asks the kernel for an interface's driver name; "" when unknown. Tests supply fakes.
using DriverQuery = std::function<std::string(const std::string& interface)>;

// The driver name reported by the SIOCETHTOOL ETHTOOL_GDRVINFO ioctl ("veth", "bridge", ...);
// "" when the interface does not answer.
std::string ethtool_driver(const std::string& interface);

// Where the facts that sysfs does not hold come from.
struct InterfaceSources {
    DriverQuery driver = ethtool_driver;
    AddressSource addresses = local_addresses;
};

// physical|bridge|bond|vlan|veth|loopback|tun|other for the sysfs directory `dir`
// (<sys>/class/net/NAME); `driver` is the interface's driver name or "".
std::string interface_type(const std::filesystem::path& dir, const std::string& driver);

// up|down|unknown from the kernel's operstate text.
std::string interface_state(const std::string& operstate);

// Every interface under <sys>/class/net, sorted by name, with empty "addresses". Throws Error
// ("system_facts_unreadable") when that directory is missing.
nlohmann::json read_interfaces(const FactsRoots& roots, const DriverQuery& driver);

// `interfaces` with each address appended to the "addresses" of the interface it names;
// addresses of unknown interfaces are dropped. Pure.
nlohmann::json with_addresses(nlohmann::json interfaces, const std::vector<InterfaceAddress>& addresses);

// read_interfaces() merged with the addresses from `sources`.
nlohmann::json collect_interfaces(const FactsRoots& roots, const InterfaceSources& sources);

}  // namespace microcloud::host::system
