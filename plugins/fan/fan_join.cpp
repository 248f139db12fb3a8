// plugins/fan/fan_join.cpp - checks the kernel and the default route, and derives the underlay.
#include "fan_join.hpp"

#include "fan_report.hpp"
#include "fan_underlay.hpp"
#include "ipv4.hpp"

namespace microcloud::plugins::fan {

using sdk::Json;

namespace {

constexpr const char* kWaysOut =
    "; form the cluster with OVN instead, or leave the fan out with `--disable-plugin fan` on every member";

std::string text_field(const Json& object, const char* key) {
    if (!object.is_object() || !object.contains(key) || !object.at(key).is_string()) return {};
    return object.at(key).get<std::string>();
}

// The kernel's part of a join result; throws when the kernel lacks the fan.
Json checked_kernel(const std::string& member, const FanKernelFacts& kernel, Json& warnings) {
    const FanKernelVerdict verdict = judge_fan_kernel(kernel);
    if (!verdict.supported)
        throw sdk::Error("fan_unsupported",
                         "fan on " + member + ": " + verdict.reason + " " + kFanNetwork +
                             " (bridge.mode=fan) needs an Ubuntu kernel with the fan patches" + kWaysOut,
                         {{"member", member}, {"kernel", fan_kernel_report(kernel, false)}});
    for (const std::string& warning : verdict.warnings) warnings.push_back(warning);
    return fan_kernel_report(kernel, true);
}

// The default route's subnet from the member facts; throws naming what is missing.
Ipv4Prefix default_route_subnet(const std::string& member, const Json& facts) {
    const Json route = facts.is_object() ? facts.value("default_route", Json()) : Json();
    if (!route.is_object())
        throw sdk::Error("no_default_route",
                         "fan on " + member + ": the member facts have no IPv4 default route (\"default_route\" is " +
                             route.dump() + "); " + kFanNetwork +
                             " takes its underlay subnet from the default route's subnet, so an IPv4 default "
                             "route is needed on " +
                             member + kWaysOut,
                         {{"member", member}, {"default_route", route}});
    const std::string subnet = text_field(route, "subnet");
    auto prefix = parse_ipv4_prefix(subnet);
    if (!prefix)
        throw sdk::Error("invalid_default_route",
                         "fan on " + member + ": the default route's subnet \"" + subnet + "\" (interface " +
                             text_field(route, "interface") +
                             ") is not an IPv4 prefix; a subnet like "
                             "10.1.2.0/24 is needed to derive " +
                             kFanNetwork + "'s underlay subnet" + kWaysOut,
                         {{"member", member}, {"default_route", route}});
    return *prefix;
}

std::string member_name(const Json& input) {
    const Json member = input.is_object() ? input.value("member", Json()) : Json();
    return member.is_object() ? text_field(member, "name") : std::string();
}

}  // namespace

Json fan_bootstrap_result(const std::string& member, const Json& member_facts, const FanKernelFacts& kernel) {
    Json warnings = Json::array();
    Json kernel_report = checked_kernel(member, kernel, warnings);
    const Ipv4Prefix subnet = default_route_subnet(member, member_facts);
    const Json& route = member_facts.at("default_route");
    return {{"network", kFanNetwork},
            {"underlay_subnet", format_prefix(fan_underlay_subnet(subnet))},
            {"default_route", {{"interface", text_field(route, "interface")}, {"subnet", format_prefix(subnet)}}},
            {"kernel", kernel_report},
            {"warnings", warnings}};
}

Json fan_member_join_result(const std::string& member, const FanKernelFacts& kernel) {
    Json warnings = Json::array();
    Json kernel_report = checked_kernel(member, kernel, warnings);
    return {{"network", kFanNetwork}, {"kernel", kernel_report}, {"warnings", warnings}};
}

Json fan_teardown_result(const Json& input) {
    const std::string mode = input.is_object() ? input.value("mode", "") : "";
    const std::string member = member_name(input);
    std::string message;
    if (mode == "rollback") {
        message = "fan on " + member + ": nothing to undo; the fan plugin creates nothing itself (LXD's own " +
                  "rollback deletes " + kFanNetwork + ")";
    } else if (mode == "remove" || mode == "leave") {
        // Nothing to do: the host reports the fan as taking no part in the removal.
        throw sdk::Error("unsupported", "the fan keeps no membership of its own (" + std::string(kFanNetwork) +
                                            " goes with LXD's member)");
    } else {
        throw sdk::Error("invalid_input", "fan teardown: mode \"" + mode +
                                              "\" is unknown; \"rollback\", \"remove\" or \"leave\" is accepted");
    }
    return {{"mode", mode}, {"member", member}, {"undone", Json::array()}, {"message", message}};
}

}  // namespace microcloud::plugins::fan
