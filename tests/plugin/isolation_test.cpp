// tests/plugin/isolation_test.cpp - a plugin that crashes, throws, hangs or eats memory in any hook
// takes only its worker process down: the call fails with a stable code naming plugin and hook,
// the next call gets a fresh instance, other plugins carry on, and the record shows the last crash.
#include "fixture_cases.hpp"

#include "plugins/host_services.hpp"
#include "plugins/loaded_plugin.hpp"
#include "plugins/registry.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

namespace microcloud::test {
namespace {

using namespace host::plugins;
using nlohmann::json;

class Isolation : public ::testing::Test {
protected:
    void SetUp() override { registry.scan(scan_options({fixture_case("hostile"), fixture_case("good")})); }

    std::shared_ptr<LoadedPlugin> hostile() const {
        auto found = registry.find("hostile");
        EXPECT_NE(found, nullptr) << describe(registry);
        return found;
    }

    // Calls `hook` of the hostile fixture asking it to misbehave as `what`.
    HookResult misbehave(Hook hook, const std::string& what) const {
        return hostile()->call(hook, json{{"misbehave", what}});
    }

    // A well-behaved call; its reply says which worker answered and how many calls it served.
    json healthy(Hook hook = Hook::discover) const {
        HookResult r = hostile()->call(hook, json::object());
        EXPECT_TRUE(r.ok) << r.code << ": " << r.message;
        return r.value;
    }

    HostServices services;
    Registry registry{services};
};

void expect_names_plugin_and_hook(const HookResult& r, Hook hook) {
    EXPECT_TRUE(mentions(r.message, "plugin 'hostile'")) << r.message;
    EXPECT_TRUE(mentions(r.message, "hook '" + std::string(to_string(hook)) + "'")) << r.message;
    EXPECT_EQ(r.details.value("plugin", ""), "hostile");
    EXPECT_EQ(r.details.value("hook", ""), std::string(to_string(hook)));
}

TEST_F(Isolation, SegfaultInEveryHookIsReportedAndTheNextCallGetsAFreshInstance) {
    ASSERT_NE(hostile(), nullptr);
    for (Hook hook : all_hooks()) {
        SCOPED_TRACE(std::string(to_string(hook)));
        const int pid_before = healthy().value("pid", 0);
        HookResult r = misbehave(hook, "segv");
        EXPECT_FALSE(r.ok);
        EXPECT_EQ(r.code, "plugin_crashed");
        EXPECT_EQ(r.details.value("signal", ""), "SIGSEGV");
        expect_names_plugin_and_hook(r, hook);

        const json after = healthy();
        EXPECT_NE(after.value("pid", 0), pid_before);
        EXPECT_EQ(after.value("calls", 0), 1);  // a new instance
        EXPECT_EQ(::kill(static_cast<pid_t>(pid_before), 0), -1);  // the crashed worker was reaped
    }
}

TEST_F(Isolation, AbortIsACrashWithItsSignal) {
    HookResult r = misbehave(Hook::join, "abort");
    EXPECT_EQ(r.code, "plugin_crashed");
    EXPECT_EQ(r.details.value("signal", ""), "SIGABRT");
    expect_names_plugin_and_hook(r, Hook::join);
    EXPECT_EQ(healthy().value("calls", 0), 1);
}

TEST_F(Isolation, ExceptionThrownAcrossTheAbiIsACrashThatSaysWhat) {
    HookResult r = misbehave(Hook::configure, "throw");
    EXPECT_EQ(r.code, "plugin_crashed");
    EXPECT_TRUE(mentions(r.message, "thrown across the C ABI on purpose")) << r.message;
    expect_names_plugin_and_hook(r, Hook::configure);

    r = misbehave(Hook::validate, "throw_other");
    EXPECT_EQ(r.code, "plugin_crashed");
    EXPECT_TRUE(mentions(r.message, "not std::exception")) << r.message;
    EXPECT_EQ(healthy().value("calls", 0), 1);
}

TEST_F(Isolation, ExceptionEscapingAPluginThreadIsACrash) {
    HookResult r = misbehave(Hook::status, "thread_throw");
    EXPECT_EQ(r.code, "plugin_crashed");
    EXPECT_TRUE(mentions(r.message, "thrown on a plugin thread on purpose")) << r.message;
    EXPECT_EQ(healthy().value("calls", 0), 1);
}

TEST_F(Isolation, HangPastTheManifestDeadlineIsATimeout) {
    EXPECT_EQ(hostile()->deadline(Hook::teardown), std::chrono::seconds(3));  // from its manifest
    const int pid_before = healthy().value("pid", 0);
    HookResult r = misbehave(Hook::teardown, "hang");
    EXPECT_EQ(r.code, "plugin_timeout");
    EXPECT_EQ(r.details.value("deadline_seconds", 0), 3);
    expect_names_plugin_and_hook(r, Hook::teardown);
    EXPECT_EQ(::kill(static_cast<pid_t>(pid_before), 0), -1);  // the hung worker is gone
    EXPECT_EQ(healthy().value("calls", 0), 1);
}

TEST_F(Isolation, ACallerCanShortenTheDeadline) {
    HookResult r = hostile()->call(Hook::status, json{{"misbehave", "hang"}}, {}, std::chrono::seconds(1));
    EXPECT_EQ(r.code, "plugin_timeout");
    EXPECT_EQ(r.details.value("deadline_seconds", 0), 1);
    EXPECT_EQ(healthy().value("calls", 0), 1);
}

TEST_F(Isolation, AllocationStormIsOutOfMemory) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    GTEST_SKIP() << "sanitizer builds run workers without a memory limit (their shadow memory would count)";
#endif
    HookResult r = misbehave(Hook::issue_token, "alloc");
    EXPECT_EQ(r.code, "plugin_out_of_memory");
    EXPECT_EQ(r.details.value("memory_limit_mb", 0), 256);  // from its manifest
    expect_names_plugin_and_hook(r, Hook::issue_token);
    EXPECT_EQ(healthy().value("calls", 0), 1);
}

TEST_F(Isolation, ExitIsACrashWithItsCode) {
    HookResult r = misbehave(Hook::discover, "exit");
    EXPECT_EQ(r.code, "plugin_crashed");
    EXPECT_EQ(r.details.value("exit_code", -1), 3);
    EXPECT_EQ(healthy().value("calls", 0), 1);
}

TEST_F(Isolation, OtherPluginsCarryOnAndTheRecordShowsTheLastCrash) {
    auto good = registry.find("good");
    ASSERT_NE(good, nullptr);
    const pid_t good_worker = good->worker_pid();
    EXPECT_GT(good_worker, 0);
    EXPECT_TRUE(hostile()->last_crash().is_null());

    misbehave(Hook::join, "segv");
    misbehave(Hook::status, "abort");

    EXPECT_TRUE(good->call(Hook::discover, json::object()).ok);
    EXPECT_EQ(good->worker_pid(), good_worker);
    const json crash = hostile()->last_crash();
    EXPECT_EQ(crash.value("hook", ""), "status");
    EXPECT_EQ(crash.value("code", ""), "plugin_crashed");
    EXPECT_EQ(crash.value("count", 0), 2);
    EXPECT_FALSE(crash.value("at", "").empty());
    const PluginRecord* record = record_of(registry, fixture_dir("hostile", "hostile"));
    ASSERT_NE(record, nullptr);
    EXPECT_EQ(record->to_json().at("last_crash"), crash);
}

TEST_F(Isolation, ACrashInCreateLeavesThePluginFailedAndTheRestLoaded) {
    ScanOptions options = scan_options({fixture_case("hostile"), fixture_case("good")});
    options.config = {{"hostile", {{"crash_in_create", true}}}};
    Registry crashing(services);
    crashing.scan(options);
    const PluginRecord* record = record_of(crashing, fixture_dir("hostile", "hostile"));
    ASSERT_NE(record, nullptr);
    EXPECT_EQ(record->state, PluginState::failed);
    EXPECT_TRUE(mentions(record->reason, "SIGSEGV")) << record->reason;
    EXPECT_TRUE(mentions(record->reason, "create")) << record->reason;
    EXPECT_NE(crashing.find("good"), nullptr);
}

TEST_F(Isolation, IdleWorkersStopAndStartAgainOnTheNextCall) {
    ScanOptions options = scan_options({fixture_case("hostile")});
    options.idle_stop = std::chrono::seconds(1);
    Registry idle(services);
    idle.scan(options);
    auto plugin = idle.find("hostile");
    ASSERT_NE(plugin, nullptr);
    const pid_t first = plugin->worker_pid();
    ASSERT_GT(first, 0);
    // Bounded wait for the janitor (ticks of at most 1 s here), not a timing assertion.
    for (int i = 0; i < 100 && plugin->worker_pid() != 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_EQ(plugin->worker_pid(), 0);
    HookResult r = plugin->call(Hook::discover, json::object());
    ASSERT_TRUE(r.ok) << r.message;
    EXPECT_NE(r.value.value("pid", 0), first);
}

}  // namespace
}  // namespace microcloud::test
