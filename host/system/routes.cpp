// host/system/routes.cpp - parsing <proc>/net/route for the default IPv4 route.
#include "system/routes.hpp"

#include "common/error.hpp"
#include "system/sysfs.hpp"

#include <charconv>
#include <cstdint>
#include <optional>
#include <sstream>

namespace microcloud::host::system {

namespace {

constexpr std::uint32_t kRouteUp = 0x0001;       // RTF_UP
constexpr std::uint32_t kRouteGateway = 0x0002;  // RTF_GATEWAY

struct RouteLine {
    std::string interface;
    std::uint32_t destination = 0;
    std::uint32_t gateway = 0;
    std::uint32_t flags = 0;
    std::uint32_t metric = 0;
    std::uint32_t mask = 0;
};

std::optional<std::uint32_t> parse_hex(const std::string& text) {
    std::uint32_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<std::uint32_t> parse_decimal(const std::string& text) {
    std::uint32_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// Iface Destination Gateway Flags RefCnt Use Metric Mask ...; nullopt for the header or junk.
std::optional<RouteLine> parse_route_line(const std::string& line) {
    std::istringstream in(line);
    std::string iface, destination, gateway, flags, refcnt, use, metric, mask;
    if (!(in >> iface >> destination >> gateway >> flags >> refcnt >> use >> metric >> mask)) return std::nullopt;
    auto dst = parse_hex(destination), gw = parse_hex(gateway), fl = parse_hex(flags), mk = parse_hex(mask);
    auto me = parse_decimal(metric);
    if (!dst || !gw || !fl || !mk || !me) return std::nullopt;
    return RouteLine{iface, *dst, *gw, *fl, *me, *mk};
}

// The table prints each address as the integer of its in-memory (network order) bytes on a
// little-endian kernel, so the lowest byte is the first octet.
std::string little_endian_ipv4(std::uint32_t value) {
    return std::to_string(value & 0xff) + "." + std::to_string((value >> 8) & 0xff) + "." +
           std::to_string((value >> 16) & 0xff) + "." + std::to_string((value >> 24) & 0xff);
}

const InterfaceAddress* first_ipv4(const std::string& interface, const std::vector<InterfaceAddress>& addresses) {
    for (const auto& address : addresses)
        if (address.interface == interface && address.family == "inet") return &address;
    return nullptr;
}

}  // namespace

nlohmann::json parse_default_route(const std::string& route_table, const std::vector<InterfaceAddress>& addresses) {
    std::optional<RouteLine> best;
    std::istringstream lines(route_table);
    for (std::string line; std::getline(lines, line);) {
        auto route = parse_route_line(line);
        if (!route || route->destination != 0 || route->mask != 0 || !(route->flags & kRouteUp)) continue;
        if (!best || route->metric < best->metric) best = route;
    }
    if (!best) return nullptr;

    const bool has_gateway = (best->flags & kRouteGateway) && best->gateway != 0;
    const auto* address = first_ipv4(best->interface, addresses);
    return {
        {"interface", best->interface},
        {"gateway", has_gateway ? little_endian_ipv4(best->gateway) : std::string{}},
        {"metric", best->metric},
        {"address", address ? address->address : std::string{}},
        {"subnet", address ? ipv4_network(address->address, address->prefix) : std::string{}},
    };
}

nlohmann::json default_ipv4_route(const FactsRoots& roots, const AddressSource& addresses) {
    const auto path = roots.proc / "net" / "route";
    auto table = read_whole_file(path);
    if (!table)
        throw Error("system_facts_unreadable",
                    "Cannot read the IPv4 routing table: '" + path.string() +
                        "' is missing or unreadable; expected procfs mounted at '" + roots.proc.string() + "'",
                    {{"path", path.string()}});
    return parse_default_route(*table, addresses ? addresses() : std::vector<InterfaceAddress>{});
}

nlohmann::json default_ipv4_route(const FactsRoots& roots) {
    return default_ipv4_route(roots, local_addresses);
}

}  // namespace microcloud::host::system
