// tests/unit/plugins/fan/plan_test.cpp - the validate hook's rules: every member's fan report
// must say the fan is usable; warnings are passed on once per text.
#include "fan_plan.hpp"

#include <gtest/gtest.h>

#include <string>

namespace fan = microcloud::plugins::fan;
using microcloud::sdk::Json;

namespace {

Json usable_report(const std::string& address = "10.1.2.11", const std::string& underlay = "10.1.2.0/24") {
    return {
        {"component", "Ubuntu fan"},
        {"present", true},
        {"reasons", Json::array()},
        {"warnings", Json::array()},
        {"default_route", {{"interface", "eth0"}, {"gateway", "10.1.2.1"}, {"address", address}, {"subnet", underlay}}},
        {"underlay_subnet", underlay},
        {"kernel", {{"supported", true}}}};
}

Json unusable_report(std::vector<std::string> reasons) {
    Json report = usable_report();
    report["present"] = false;
    report["reasons"] = reasons;
    return report;
}

Json plan(const Json& discovery) {
    Json members = Json::array();
    for (const auto& [name, report] : discovery.items()) members.push_back(name);
    return {{"members", members},       {"addresses", Json::object()},
            {"joining", Json::array()}, {"bootstrap", true},
            {"config", Json::object()}, {"preseed", Json::object()},
            {"discovery", discovery},   {"member", {{"name", "m1"}, {"state_dir", "/tmp/x"}}}};
}

std::string only_error(const Json& problems) {
    std::string out;
    int errors = 0;
    for (const Json& p : problems)
        if (p["severity"] == "error") {
            ++errors;
            EXPECT_EQ(p["field"], "fan");
            out = p["message"].get<std::string>();
        }
    EXPECT_EQ(errors, 1) << problems.dump(2);
    return out;
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::size_t count(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++n;
    return n;
}

}  // namespace

TEST(FanPlan, AllMembersUsableGiveNoProblems) {
    Json problems = fan::fan_plan_problems(plan(
        {{"m1", usable_report("10.1.2.11")}, {"m2", usable_report("10.1.2.12")}, {"m3", usable_report("10.1.2.13")}}));
    EXPECT_TRUE(problems.is_array());
    EXPECT_TRUE(problems.empty()) << problems.dump(2);
}

TEST(FanPlan, UnusableMemberIsOneErrorWithUpstreamWordsAndWaysOut) {
    Json problems = fan::fan_plan_problems(plan(
        {{"m1", usable_report()},
         {"m2", unusable_report({"Fan networking is not usable: this machine has no IPv4 default route, which the fan "
                                 "needs to choose its underlay subnet."})}}));
    const std::string message = only_error(problems);
    EXPECT_TRUE(has(message, "Fan networking is not usable")) << message;
    EXPECT_TRUE(has(message, "Cluster bootstrapping aborted due to lack of usable networking")) << message;
    EXPECT_TRUE(has(message, "on 1 of 2 members")) << message;
    EXPECT_TRUE(has(message, "m2: this machine has no IPv4 default route")) << message;
    EXPECT_FALSE(has(message, "m1:")) << message;
    EXPECT_EQ(count(message, "Fan networking is not usable"), 1u) << message;  // the prefix is not repeated
    EXPECT_TRUE(has(message, "`ovn_uplink_interface`")) << message;
    EXPECT_TRUE(has(message, "`ovn` section")) << message;
    EXPECT_TRUE(has(message, "`--disable-plugin fan`")) << message;
    EXPECT_TRUE(has(message, "`disable-plugins: [fan]` in microcloudd.yaml")) << message;
    EXPECT_TRUE(has(message, "on every member")) << message;
}

TEST(FanPlan, EveryFailingMemberIsListedWithEveryReason) {
    Json problems = fan::fan_plan_problems(plan(
        {{"m1",
          unusable_report({"Fan networking is not usable: this machine has no IPv4 default route.",
                           "Fan networking is not usable: this kernel (6.1.0-18-amd64) has no Ubuntu fan support."})},
         {"m2", usable_report()},
         {"m3", unusable_report({"Fan networking is not usable: this kernel (6.1.0-18-amd64) has no Ubuntu fan "
                                 "support."})}}));
    const std::string message = only_error(problems);
    EXPECT_TRUE(has(message, "on 2 of 3 members:")) << message;
    EXPECT_TRUE(has(message,
                    "\n  - m1: this machine has no IPv4 default route; this kernel (6.1.0-18-amd64) has no "
                    "Ubuntu fan support.\n"))
        << message;
    EXPECT_TRUE(has(message, "\n  - m3: this kernel (6.1.0-18-amd64) has no Ubuntu fan support.\n")) << message;
    EXPECT_EQ(count(message, "Fan networking is not usable"), 1u) << message;
}

TEST(FanPlan, MemberWithoutReportFails) {
    Json input = plan({{"m1", usable_report()}});
    input["members"].push_back("m2");
    const std::string message = only_error(fan::fan_plan_problems(input));
    EXPECT_TRUE(has(message, "m2: no fan discovery report from it reached the initiator")) << message;
    EXPECT_TRUE(has(message, "Cluster bootstrapping aborted due to lack of usable networking")) << message;

    input.erase("discovery");
    const std::string both = only_error(fan::fan_plan_problems(input));
    EXPECT_TRUE(has(both, "on 2 of 2 members")) << both;
}

TEST(FanPlan, MemberWhoseDiscoveryFailedGivesItsMessage) {
    Json problems = fan::fan_plan_problems(
        plan({{"m1", usable_report()},
              {"m2", {{"error", {{"code", "plugin_failed"}, {"message", "the fan plugin crashed on m2"}}}}}}));
    const std::string message = only_error(problems);
    EXPECT_TRUE(has(message, "m2: fan discovery failed there: the fan plugin crashed on m2.")) << message;
}

TEST(FanPlan, PresentFalseWithoutReasonsStillFails) {
    const std::string message = only_error(fan::fan_plan_problems(plan({{"m1", unusable_report({})}})));
    EXPECT_TRUE(has(message, "m1: its report says the fan is not usable but gives no reason")) << message;
}

TEST(FanPlan, WarningsArePassedOnOncePerText) {
    const std::string kernel_warning =
        "This kernel (5.15.0-91-generic) is an Ubuntu kernel, so it is assumed to carry "
        "the fan patches; /proc/sys/net/fan/version will confirm it once the ipip "
        "module is loaded.";
    Json m1 = usable_report("10.1.2.11");
    Json m2 = usable_report("10.1.2.12");
    Json m3 = usable_report("10.1.2.13");
    m1["warnings"] = {kernel_warning};
    m2["warnings"] = {kernel_warning, "another caveat"};
    Json problems = fan::fan_plan_problems(plan({{"m1", m1}, {"m2", m2}, {"m3", m3}}));
    ASSERT_EQ(problems.size(), 2u) << problems.dump(2);
    EXPECT_EQ(problems[0], (Json{{"field", "fan"}, {"message", "m1, m2: " + kernel_warning}, {"severity", "warning"}}));
    EXPECT_EQ(problems[1], (Json{{"field", "fan"}, {"message", "m2: another caveat"}, {"severity", "warning"}}));
}

TEST(FanPlan, WarningsComeWithTheError) {
    Json m1 = unusable_report({"Fan networking is not usable: this machine has no IPv4 default route."});
    m1["warnings"] = {"a caveat"};
    Json problems = fan::fan_plan_problems(plan({{"m1", m1}}));
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_EQ(problems[0]["severity"], "error");
    EXPECT_EQ(problems[1]["message"], "m1: a caveat");
}

TEST(FanPlan, MemberOutsideTheInitiatorsUnderlayIsAWarning) {
    Json problems = fan::fan_plan_problems(
        plan({{"m1", usable_report("10.1.2.11", "10.1.2.0/24")}, {"m2", usable_report("10.1.3.12", "10.1.3.0/24")}}));
    ASSERT_EQ(problems.size(), 1u) << problems.dump(2);
    EXPECT_EQ(problems[0]["severity"], "warning");
    EXPECT_EQ(problems[0]["message"],
              "m2: its default-route address 10.1.3.12 lies outside the fan underlay 10.1.2.0/24 that lxdfan0 takes "
              "from m1's default route, so m2 cannot reach the other members over the fan.");
}

TEST(FanPlan, MembersMustBeAnArrayOfNames) {
    EXPECT_THROW(fan::fan_plan_problems(Json::object()), microcloud::sdk::Error);
    try {
        fan::fan_plan_problems(Json{{"members", Json::array({1})}});
        FAIL() << "no error";
    } catch (const microcloud::sdk::Error& e) {
        EXPECT_EQ(e.code(), "invalid_input");
        EXPECT_TRUE(has(e.what(), "\"members\"")) << e.what();
    }
}
