// plugins/fan/fan_report.cpp - builds the fan discover report.
#include "fan_report.hpp"

#include "fan_underlay.hpp"
#include "ipv4.hpp"

#include <vector>

namespace microcloud::plugins::fan {
namespace {

using sdk::Json;

constexpr const char* kNotUsable = "Fan networking is not usable: ";

std::string text_field(const Json& object, const char* key) {
    if (!object.is_object() || !object.contains(key) || !object.at(key).is_string()) return {};
    return object.at(key).get<std::string>();
}

// The IPv4 addresses ("a.b.c.d/n") the facts list for interface `name`.
std::vector<std::string> ipv4_addresses_of(const Json& facts, const std::string& name) {
    std::vector<std::string> out;
    if (!facts.is_object() || !facts.contains("interfaces") || !facts.at("interfaces").is_array()) return out;
    for (const auto& iface : facts.at("interfaces")) {
        if (text_field(iface, "name") != name || !iface.contains("addresses") || !iface.at("addresses").is_array())
            continue;
        for (const auto& address : iface.at("addresses")) {
            if (text_field(address, "family") != "inet") continue;
            auto prefix = address.value("prefix", Json());
            std::string text = text_field(address, "address");
            if (prefix.is_number_integer()) text.append("/").append(std::to_string(prefix.get<int>()));
            out.push_back(std::move(text));
        }
    }
    return out;
}

struct RouteFindings {
    Json route = nullptr;
    Json underlay = nullptr;
    std::vector<std::string> reasons;
    std::vector<std::string> warnings;
};

RouteFindings judge_route(const Json& facts, const std::string& facts_error) {
    RouteFindings out;
    if (!facts_error.empty()) {
        out.reasons.push_back(kNotUsable + std::string("the host could not report this machine's network facts (") +
                              facts_error + ").");
        return out;
    }
    const Json route = facts.is_object() ? facts.value("default_route", Json()) : Json();
    if (!route.is_object()) {
        out.reasons.push_back(kNotUsable + std::string("this machine has no IPv4 default route, which the fan "
                                                       "needs to choose its underlay subnet."));
        return out;
    }
    const std::string interface = text_field(route, "interface");
    const std::string subnet_text = text_field(route, "subnet");
    out.route = {{"interface", interface},
                 {"gateway", text_field(route, "gateway")},
                 {"address", text_field(route, "address")},
                 {"subnet", subnet_text}};
    auto addresses = ipv4_addresses_of(facts, interface);
    if (addresses.size() > 1) {
        std::string listing;
        for (const auto& a : addresses) listing += (listing.empty() ? "" : ", ") + a;
        out.reasons.push_back(kNotUsable + std::string("the default-route interface ") + interface +
                              " has more than one IPv4 address (" + listing +
                              "), so the underlay subnet is ambiguous.");
        return out;
    }
    auto subnet = parse_ipv4_prefix(subnet_text);
    if (!subnet) {
        out.reasons.push_back(
            kNotUsable + std::string("the default-route interface ") + interface +
            (subnet_text.empty() ? " has no IPv4 address." : " has an unreadable subnet \"" + subnet_text + "\"."));
        return out;
    }
    Ipv4Prefix underlay = fan_underlay_subnet(*subnet);
    out.underlay = format_prefix(underlay);
    auto address = parse_ipv4(text_field(route, "address"));
    if (address && !contains(underlay, *address))
        out.warnings.push_back("The default-route address " + format_ipv4(*address) +
                               " lies outside the fan underlay " + format_prefix(underlay) +
                               " derived from its subnet " + format_prefix(network_of(*subnet)) +
                               ": members outside it cannot reach each other over the fan.");
    return out;
}

// "This kernel ..." -> "this kernel ..." to follow "Fan networking is not usable: ".
std::string lower_first(std::string sentence) {
    if (!sentence.empty() && sentence.front() >= 'A' && sentence.front() <= 'Z')
        sentence.front() = static_cast<char>(sentence.front() - 'A' + 'a');
    return sentence;
}

}  // namespace

Json fan_kernel_report(const FanKernelFacts& kernel, bool supported) {
    return {{"release", kernel.release},
            {"ubuntu", kernel.ubuntu_kernel},
            {"fan_sysctl", kernel.fan_sysctl},
            {"fan_version", kernel.fan_version ? Json(*kernel.fan_version) : Json(nullptr)},
            {"ipip_module_loaded", kernel.ipip_loaded},
            {"supported", supported},
            {"checked", kernel.checked}};
}

Json fan_report(const Json& member_facts, const FanKernelFacts& kernel, const std::string& facts_error) {
    RouteFindings route = judge_route(member_facts, facts_error);
    FanKernelVerdict verdict = judge_fan_kernel(kernel);
    std::vector<std::string> reasons = route.reasons;
    std::vector<std::string> warnings = route.warnings;
    if (!verdict.supported) reasons.push_back(kNotUsable + lower_first(verdict.reason));
    warnings.insert(warnings.end(), verdict.warnings.begin(), verdict.warnings.end());
    return Json{{"component", "Ubuntu fan"},
                {"present", reasons.empty()},
                {"reasons", reasons},
                {"warnings", warnings},
                {"default_route", route.route},
                {"underlay_subnet", route.underlay},
                {"kernel", fan_kernel_report(kernel, verdict.supported)}};
}

}  // namespace microcloud::plugins::fan
