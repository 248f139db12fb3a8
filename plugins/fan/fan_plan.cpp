// plugins/fan/fan_plan.cpp - each rule adds problems naming the members, what they lack and what
// would be accepted.
#include "fan_plan.hpp"

#include "ipv4.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace microcloud::plugins::fan {

using sdk::Json;

namespace {

constexpr std::string_view kNotUsable = "Fan networking is not usable: ";

std::string text_field(const Json& object, const char* key) {
    if (!object.is_object() || !object.contains(key) || !object.at(key).is_string()) return {};
    return object.at(key).get<std::string>();
}

Json problem(const std::string& severity, const std::string& message) {
    return {{"field", kFanField}, {"message", message}, {"severity", severity}};
}

std::vector<std::string> member_names(const Json& input) {
    const Json members = input.is_object() ? input.value("members", Json()) : Json();
    if (!members.is_array())
        throw sdk::Error("invalid_input",
                         "fan validate: \"members\" is " + members.dump() + "; an array of member names is needed");
    std::vector<std::string> out;
    for (const Json& name : members) {
        if (!name.is_string())
            throw sdk::Error("invalid_input",
                             "fan validate: member name " + name.dump() + " in \"members\" is not a string");
        out.push_back(name.get<std::string>());
    }
    return out;
}

Json report_of(const Json& input, const std::string& member) {
    const Json discovery = input.value("discovery", Json::object());
    if (!discovery.is_object() || !discovery.contains(member)) return nullptr;
    return discovery.at(member);
}

// "Fan networking is not usable: this machine has no route." -> "this machine has no route".
std::string bare_reason(std::string reason) {
    if (reason.rfind(kNotUsable, 0) == 0) reason.erase(0, kNotUsable.size());
    while (!reason.empty() && (reason.back() == '.' || reason.back() == ' ')) reason.pop_back();
    return reason;
}

// Why the fan cannot be used on a member, or "" when its report says it can.
std::string why_not_usable(const Json& report) {
    if (report.is_null()) return "no fan discovery report from it reached the initiator";
    if (!report.is_object()) return "its fan discovery report is not a JSON object: " + report.dump();
    if (report.contains("error")) {
        const std::string message = text_field(report.at("error"), "message");
        return "fan discovery failed there: " + bare_reason(message.empty() ? "no reason given" : message);
    }
    if (report.value("present", false) == true) return {};
    std::string out;
    for (const Json& reason : report.value("reasons", Json::array()))
        if (reason.is_string()) out += (out.empty() ? "" : "; ") + bare_reason(reason.get<std::string>());
    return out.empty() ? "its report says the fan is not usable but gives no reason" : out;
}

std::string not_usable_message(const std::vector<std::pair<std::string, std::string>>& failures, std::size_t total) {
    std::string out = "Fan networking is not usable on " + std::to_string(failures.size()) + " of " +
                      std::to_string(total) + " members:";
    for (const auto& [member, why] : failures) out += "\n  - " + member + ": " + why + ".";
    out +=
        "\nCluster bootstrapping aborted due to lack of usable networking. To go on, either give every system an "
        "`ovn_uplink_interface` and the preseed an `ovn` section so that OVN provides the network, or leave the fan "
        "out with `--disable-plugin fan` (or `disable-plugins: [fan]` in microcloudd.yaml) on every member to form "
        "LXD without a cloud-wide network.";
    return out;
}

void add_usability_error(Json& problems, const Json& input, const std::vector<std::string>& members) {
    std::vector<std::pair<std::string, std::string>> failures;
    for (const std::string& member : members)
        if (std::string why = why_not_usable(report_of(input, member)); !why.empty())
            failures.emplace_back(member, why);
    if (!failures.empty()) problems.push_back(problem("error", not_usable_message(failures, members.size())));
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
}

void add_report_warnings(Json& problems, const Json& input, const std::vector<std::string>& members) {
    std::vector<std::string> order;
    std::map<std::string, std::vector<std::string>> sources;  // warning text -> members it came from
    for (const std::string& member : members) {
        const Json report = report_of(input, member);
        if (!report.is_object() || !report.contains("warnings") || !report.at("warnings").is_array()) continue;
        for (const Json& warning : report.at("warnings")) {
            if (!warning.is_string()) continue;
            const std::string text = warning.get<std::string>();
            if (!sources.contains(text)) order.push_back(text);
            std::vector<std::string>& from = sources[text];
            if (from.empty() || from.back() != member) from.push_back(member);
        }
    }
    for (const std::string& text : order) problems.push_back(problem("warning", joined(sources[text]) + ": " + text));
}

// The initiator's underlay lxdfan0 would get; members whose address lies outside it cannot
// reach the others over the fan.
void add_underlay_warnings(Json& problems, const Json& input, const std::vector<std::string>& members) {
    if (members.empty()) return;
    const Json first = report_of(input, members.front());
    const auto underlay = parse_ipv4_prefix(first.is_object() ? text_field(first, "underlay_subnet") : "");
    if (!underlay) return;
    for (const std::string& member : members) {
        const Json report = report_of(input, member);
        if (!report.is_object() || !report.value("present", false)) continue;
        const std::string address_text = text_field(report.value("default_route", Json()), "address");
        const auto address = parse_ipv4(address_text);
        if (!address || contains(*underlay, *address)) continue;
        problems.push_back(problem(
            "warning", member + ": its default-route address " + address_text + " lies outside the fan underlay " +
                           format_prefix(*underlay) + " that lxdfan0 takes from " + members.front() +
                           "'s default route, so " + member + " cannot reach the other members over the fan."));
    }
}

}  // namespace

Json fan_plan_problems(const Json& input) {
    const std::vector<std::string> members = member_names(input);
    Json problems = Json::array();
    add_usability_error(problems, input, members);
    add_report_warnings(problems, input, members);
    add_underlay_warnings(problems, input, members);
    return problems;
}

}  // namespace microcloud::plugins::fan
