// host/system/facts.cpp - assembling this machine's facts: hostname, interfaces, disks, default route.
#include "system/facts.hpp"

#include "system/disks.hpp"
#include "system/interfaces.hpp"
#include "system/routes.hpp"
#include "system/sysfs.hpp"

#include <unistd.h>

#include <climits>

namespace microcloud::host::system {

namespace {

// From <proc>/sys/kernel/hostname so fake roots can set it; gethostname() otherwise.
std::string hostname(const FactsRoots& roots) {
    if (auto name = read_attribute(roots.proc / "sys" / "kernel" / "hostname"); name && !name->empty()) return *name;
    char buffer[HOST_NAME_MAX + 1] = {};
    if (::gethostname(buffer, sizeof buffer - 1) != 0) return {};
    return buffer;
}

}  // namespace

nlohmann::json collect_facts(const FactsRoots& roots) {
    const auto addresses = local_addresses();
    const InterfaceSources sources{ethtool_driver, [&addresses] { return addresses; }};
    return {
        {"hostname", hostname(roots)},
        {"interfaces", collect_interfaces(roots, sources)},
        {"disks", collect_disks(roots)},
        {"default_route", default_ipv4_route(roots, sources.addresses)},
    };
}

}  // namespace microcloud::host::system
