// tests/plugin/hook_call_test.cpp - calling hooks of loaded fixtures through the C ABI: thrown
// exceptions become statuses, error codes and details survive, host services reach the plugin.
#include "fixture_cases.hpp"

#include "plugins/host_services.hpp"
#include "plugins/loaded_plugin.hpp"
#include "plugins/registry.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace microcloud::test {
namespace {

using namespace host::plugins;
using nlohmann::json;

class HookCalls : public ::testing::Test {
protected:
    void SetUp() override {
        registry.scan(scan_options({fixture_case("good"), fixture_case("throwing"), fixture_case("short_table")}));
    }

    // The loaded plugin with this name; fails the test when it did not load.
    std::shared_ptr<LoadedPlugin> plugin(std::string_view name) const {
        auto found = registry.find(name);
        EXPECT_NE(found, nullptr) << name << " did not load:\n" << describe(registry);
        return found;
    }

    HostServices services;
    Registry registry{services};
};

// --- exceptions never cross the ABI ------------------------------------------------------------

TEST_F(HookCalls, StdExceptionBecomesInternalError) {
    auto throwing = plugin("throwing");
    ASSERT_NE(throwing, nullptr);

    HookResult result = throwing->call(Hook::discover, json::object());
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(result.code, "internal_error");
    EXPECT_TRUE(mentions(result.message, "discover blew up on purpose"));
}

TEST_F(HookCalls, NonStandardThrowBecomesInternalError) {
    auto throwing = plugin("throwing");
    ASSERT_NE(throwing, nullptr);

    HookResult result = throwing->call(Hook::validate, json::object());
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(result.code, "internal_error");
    EXPECT_TRUE(mentions_ci(result.message, "non-standard exception"));
}

TEST_F(HookCalls, PluginKeepsWorkingAfterItsHooksThrew) {
    auto throwing = plugin("throwing");
    ASSERT_NE(throwing, nullptr);

    for (int round = 0; round < 3; ++round) {
        EXPECT_EQ(throwing->call(Hook::discover, json::object()).code, "internal_error");
        EXPECT_EQ(throwing->call(Hook::validate, json::object()).code, "internal_error");
        HookResult joined = throwing->call(Hook::join, json::object());
        ASSERT_TRUE(joined.ok) << joined.code << ": " << joined.message;
        EXPECT_EQ(joined.value, json({{"alive", true}}));
    }
}

TEST_F(HookCalls, SdkErrorKeepsItsCodeMessageAndDetails) {
    auto throwing = plugin("throwing");
    ASSERT_NE(throwing, nullptr);

    HookResult result = throwing->call(Hook::teardown, json::object());
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(result.code, "fixture_coded");
    EXPECT_EQ(result.message, "teardown failed with a code");
    EXPECT_EQ(result.details, json({{"step", "teardown"}}));
}

// --- answers through the C ABI -----------------------------------------------------------------

TEST_F(HookCalls, CFailCarriesCodeMessageAndDetails) {
    auto c_plugin = plugin("short-table");
    ASSERT_NE(c_plugin, nullptr);

    HookResult result = c_plugin->call(Hook::validate, json::object());
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(result.code, "fixture_refused");
    EXPECT_EQ(result.message, "the C fixture refuses every plan");
    EXPECT_EQ(result.details, json({{"field", "plan"}}));
}

TEST_F(HookCalls, HookThatNeverAnswersIsReported) {
    auto c_plugin = plugin("short-table");
    ASSERT_NE(c_plugin, nullptr);

    HookResult result = c_plugin->call(Hook::join, json::object());
    EXPECT_FALSE(result.ok) << result.value.dump();
    EXPECT_EQ(result.code, "plugin_no_answer");
}

TEST_F(HookCalls, InputReachesTheHookIntact) {
    auto c_plugin = plugin("short-table");
    ASSERT_NE(c_plugin, nullptr);

    const json input = {{"member", "micro01"}, {"disks", {"/dev/sdb", "/dev/sdc"}}, {"text", "ünïcödé \"quoted\""}};
    HookResult result = c_plugin->call(Hook::teardown, input);
    ASSERT_TRUE(result.ok) << result.code << ": " << result.message;
    EXPECT_EQ(result.value, input);
}

TEST_F(HookCalls, IssueTokenSeesItsInput) {
    auto good = plugin("good");
    ASSERT_NE(good, nullptr);

    HookResult result = good->call(Hook::issue_token, {{"name", "joiner-1"}});
    ASSERT_TRUE(result.ok) << result.code << ": " << result.message;
    EXPECT_EQ(result.value, json({{"token", "token-for-joiner-1"}}));
}

// --- host services -----------------------------------------------------------------------------

TEST_F(HookCalls, ProgressReachesTheObserver) {
    auto good = plugin("good");
    ASSERT_NE(good, nullptr);

    std::vector<std::tuple<std::string, std::uint64_t, std::uint64_t>> steps;
    CallObserver observer;
    observer.progress = [&](std::string_view step, std::uint64_t done, std::uint64_t total) {
        steps.emplace_back(std::string(step), done, total);
    };
    HookResult result = good->call(Hook::join, json::object(), observer);
    ASSERT_TRUE(result.ok) << result.code << ": " << result.message;
    EXPECT_EQ(result.value, json({{"joined", true}}));
    using Step = std::tuple<std::string, std::uint64_t, std::uint64_t>;
    EXPECT_EQ(steps, (std::vector<Step>{{"joining", 1, 2}, {"joining", 2, 2}}));
}

TEST_F(HookCalls, ProgressWithoutObserverIsHarmless) {
    auto good = plugin("good");
    ASSERT_NE(good, nullptr);
    EXPECT_TRUE(good->call(Hook::join, json::object()).ok);
}

TEST_F(HookCalls, CancellationReachesThePlugin) {
    auto good = plugin("good");
    ASSERT_NE(good, nullptr);

    CallObserver cancelled;
    cancelled.cancelled = [] { return true; };
    HookResult yes = good->call(Hook::status, json::object(), cancelled);
    ASSERT_TRUE(yes.ok) << yes.code << ": " << yes.message;
    EXPECT_EQ(yes.value, json({{"cancelled", true}}));

    HookResult no = good->call(Hook::status, json::object());
    ASSERT_TRUE(no.ok) << no.code << ": " << no.message;
    EXPECT_EQ(no.value, json({{"cancelled", false}}));
}

TEST_F(HookCalls, LoggingFromAHookIsAccepted) {
    auto good = plugin("good");
    ASSERT_NE(good, nullptr);

    HookResult result = good->call(Hook::teardown, json::object());
    ASSERT_TRUE(result.ok) << result.code << ": " << result.message;
    EXPECT_EQ(result.value, json({{"left", true}}));
}

TEST(HostServicesFacts, MemberFactsComeFromTheProvider) {
    const json facts = {{"hostname", "fixture-member"}, {"interfaces", json::array()}};
    HostServices services([&] { return facts; });
    Registry registry(services);
    registry.scan(scan_options({fixture_case("good")}));
    auto good = registry.find("good");
    ASSERT_NE(good, nullptr) << describe(registry);

    HookResult result = good->call(Hook::configure, json::object());
    ASSERT_TRUE(result.ok) << result.code << ": " << result.message;
    EXPECT_EQ(result.value, json({{"facts", facts}}));
    EXPECT_EQ(services.member_facts(), facts);
}

// --- results and hook names --------------------------------------------------------------------

TEST_F(HookCalls, ResultsTurnIntoJson) {
    auto good = plugin("good");
    auto throwing = plugin("throwing");
    ASSERT_NE(good, nullptr);
    ASSERT_NE(throwing, nullptr);

    json ok = good->call(Hook::validate, json::object()).to_json();
    EXPECT_EQ(ok.at("ok"), true);
    EXPECT_EQ(ok.at("result"), json::array());

    json failed = throwing->call(Hook::teardown, json::object()).to_json();
    EXPECT_EQ(failed.at("ok"), false);
    EXPECT_EQ(failed.at("error").at("code"), "fixture_coded");
}

TEST(HookNames, RoundTripThroughText) {
    ASSERT_EQ(all_hooks().size(), 7u);
    for (Hook hook : all_hooks()) EXPECT_EQ(parse_hook(to_string(hook)), hook) << to_string(hook);
    EXPECT_EQ(to_string(Hook::issue_token), "issue_token");
    EXPECT_EQ(parse_hook("dance"), std::nullopt);
    EXPECT_EQ(parse_hook(""), std::nullopt);
}

TEST(HookNames, FourAreRequired) {
    for (Hook hook : {Hook::discover, Hook::validate, Hook::join, Hook::teardown})
        EXPECT_TRUE(is_required(hook)) << to_string(hook);
    for (Hook hook : {Hook::issue_token, Hook::configure, Hook::status})
        EXPECT_FALSE(is_required(hook)) << to_string(hook);
}

}  // namespace
}  // namespace microcloud::test
