// host/system/interfaces.cpp - reading and classifying network interfaces from <sys>/class/net.
#include "system/interfaces.hpp"

#include "common/error.hpp"
#include "system/sysfs.hpp"

namespace microcloud::host::system {

namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kArphrdLoopback = 772;

bool uevent_says(const fs::path& dir, const std::string& line) {
    auto uevent = read_whole_file(dir / "uevent");
    return uevent && ("\n" + *uevent + "\n").find("\n" + line + "\n") != std::string::npos;
}

// The lower device of a stacked interface, from its lower_NAME link; "" when none.
std::string lower_device(const fs::path& dir) {
    for (const auto& entry : entry_names(dir))
        if (entry.starts_with("lower_")) return entry.substr(6);
    return {};
}

std::string driver_of(const fs::path& dir, const std::string& name, const DriverQuery& query) {
    auto bound = link_target_name(dir / "device" / "driver");
    if (!bound.empty()) return bound;
    return query ? query(name) : std::string{};
}

nlohmann::json read_interface(const fs::path& dir, const std::string& name, const DriverQuery& query) {
    const std::string driver = driver_of(dir, name, query);
    const std::string type = interface_type(dir, driver);
    return {
        {"name", name},
        {"type", type},
        {"state", interface_state(read_attribute_or(dir / "operstate", "unknown"))},
        {"mtu", read_integer(dir / "mtu").value_or(0)},
        {"mac", read_attribute_or(dir / "address", "")},
        {"addresses", nlohmann::json::array()},
        {"bridge", type == "bridge"},
        {"master", link_target_name(dir / "master")},
        {"parent", type == "vlan" ? lower_device(dir) : std::string{}},
        {"driver", driver},
    };
}

}  // namespace

std::string interface_type(const fs::path& dir, const std::string& driver) {
    if (read_integer(dir / "type") == kArphrdLoopback) return "loopback";
    if (directory_exists(dir / "bridge")) return "bridge";
    if (directory_exists(dir / "bonding")) return "bond";
    if (uevent_says(dir, "DEVTYPE=vlan")) return "vlan";
    if (entry_exists(dir / "tun_flags")) return "tun";
    if (entry_exists(dir / "device")) return "physical";
    if (driver == "veth") return "veth";
    return "other";
}

std::string interface_state(const std::string& operstate) {
    if (operstate == "up") return "up";
    if (operstate == "down" || operstate == "lowerlayerdown" || operstate == "notpresent") return "down";
    return "unknown";
}

nlohmann::json read_interfaces(const FactsRoots& roots, const DriverQuery& driver) {
    const fs::path net = roots.sys / "class" / "net";
    if (!directory_exists(net))
        throw Error("system_facts_unreadable",
                    "Cannot list network interfaces: '" + net.string() + "' is missing; expected sysfs mounted at '" +
                        roots.sys.string() + "'",
                    {{"path", net.string()}});
    auto out = nlohmann::json::array();
    for (const auto& name : entry_names(net)) {
        if (!directory_exists(net / name)) continue;  // e.g. bonding_masters
        out.push_back(read_interface(net / name, name, driver));
    }
    return out;
}

nlohmann::json with_addresses(nlohmann::json interfaces, const std::vector<InterfaceAddress>& addresses) {
    for (const auto& address : addresses) {
        for (auto& interface : interfaces) {
            if (interface.value("name", "") != address.interface) continue;
            interface["addresses"].push_back({{"family", address.family},
                                              {"address", address.address},
                                              {"prefix", address.prefix},
                                              {"scope", address.scope}});
            break;
        }
    }
    return interfaces;
}

nlohmann::json collect_interfaces(const FactsRoots& roots, const InterfaceSources& sources) {
    auto interfaces = read_interfaces(roots, sources.driver);
    if (!sources.addresses) return interfaces;
    return with_addresses(std::move(interfaces), sources.addresses());
}

nlohmann::json collect_interfaces(const FactsRoots& roots) {
    return collect_interfaces(roots, InterfaceSources{});
}

}  // namespace microcloud::host::system
