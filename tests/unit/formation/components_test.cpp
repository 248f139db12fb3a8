// tests/unit/formation/components_test.cpp - the component orchestration against a scripted
// HookCall (fake plugins on fake members): wave order, skipped plugins, validation problems,
// bootstrap then parallel joins with tokens, configure, and the rollback after a failed join; what
// the plan hooks read (chosen disks, every member's discovery).
#include "formation/components.hpp"
#include "formation/component_order.hpp"

#include "common/error.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace microcloud::host::formation {
namespace {

TEST(ComponentOrder, WavesFollowAfter) {
    const auto waves = plan_waves({{"lxd", {"ovn", "ceph", "fan"}}, {"ovn", {}}, {"ceph", {}}});
    ASSERT_EQ(waves.size(), 2u);
    EXPECT_EQ(waves[0], (std::vector<std::string>{"ceph", "ovn"}));
    EXPECT_EQ(waves[1], (std::vector<std::string>{"lxd"}));
}

TEST(ComponentOrder, CycleIsNamed) {
    try {
        plan_waves({{"a", {"b"}}, {"b", {"a"}}, {"c", {}}});
        FAIL() << "accepted a cycle";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "invalid_plugin_order");
        EXPECT_NE(std::string(error.what()).find("a, b"), std::string::npos) << error.what();
    }
}

// Fake members and plugins: records every call; answers as scripted.
struct Fake {
    std::mutex mutex;
    std::vector<std::string> log;           // "member plugin hook"
    std::set<std::string> not_implemented;  // plugins whose validate says not_implemented
    std::string fail_join_on;               // "member plugin" whose join fails
    std::string fail_teardown_of;           // plugin whose teardown fails
    std::set<std::string> leaves;           // plugins that leave on the removed member (others: unsupported)
    std::string fail_leave_of;              // plugin whose leave fails
    std::string fail_configure_of;          // plugin whose configure fails
    nlohmann::json problems = nlohmann::json::array();
    std::chrono::milliseconds join_time{0};                // how long a join takes
    std::map<std::string, int> joining_now, most_joining;  // per plugin: joins in flight, the most seen
    std::map<std::string, nlohmann::json> inputs;          // "member plugin hook" -> the last input

    HookCall call() {
        return [this](const std::string& member, const std::string& plugin, const std::string& hook,
                      const nlohmann::json& input) -> nlohmann::json {
            {
                const std::lock_guard lock(mutex);
                const bool leave = hook == "teardown" && input.value("mode", "") == "leave";
                log.push_back(member + " " + plugin + " " + (leave ? "leave" : hook));
                inputs[member + " " + plugin + " " + hook] = input;
            }
            const auto fail = [](const std::string& code, const std::string& message) {
                return nlohmann::json{{"ok", false}, {"error", {{"code", code}, {"message", message}}}};
            };
            if (hook == "validate" && not_implemented.contains(plugin)) return fail("not_implemented", "not yet");
            // Plugins read every member's discovery result (not the hook envelope) and the addresses.
            if (hook == "validate" &&
                input["discovery"].value("m2", nlohmann::json::object()).value("member", "") != "m2")
                return fail("bad_input", "discovery of m2 is " + input["discovery"].dump());
            if (hook == "validate" && input["addresses"].value("m3", "") != "10.0.0.3")
                return fail("bad_input", "addresses are " + input["addresses"].dump());
            if (hook == "teardown" && input.value("mode", "") == "leave") {
                if (plugin == fail_leave_of) return fail("leave_failed", "raft busy");
                if (!leaves.contains(plugin)) return fail("unsupported", "nothing to leave");
                return {{"ok", true}, {"result", {{"left", member}}}};
            }
            if (hook == "teardown" && plugin == fail_teardown_of) return fail("refused", "still in use");
            if (hook == "join" && !input.value("bootstrap", false)) {
                {
                    const std::lock_guard lock(mutex);
                    most_joining[plugin] = std::max(most_joining[plugin], ++joining_now[plugin]);
                }
                std::this_thread::sleep_for(join_time);
                const std::lock_guard lock(mutex);
                --joining_now[plugin];
            }
            if (hook == "validate")
                return {{"ok", true}, {"result", plugin == "ceph" ? problems : nlohmann::json::array()}};
            if (hook == "issue_token") return {{"ok", true}, {"result", plugin + "-token-" + input.value("name", "")}};
            if (hook == "join" && fail_join_on == member + " " + plugin) return fail("join_failed", "disk busy");
            if (hook == "join" && !input.value("bootstrap", false) &&
                input.value("token", "") != plugin + "-token-" + member)
                return fail("bad_token", "wrong token " + input.value("token", std::string()));
            if (hook == "join" && plugin == "lxd" && !input["published"].contains("ovn"))
                return fail("order", "lxd joined before ovn published");
            if (hook == "configure" && plugin == fail_configure_of) return fail("configure_failed", "pool busy");
            if (hook == "configure" && plugin == "ovn") return fail("unsupported", "no configure");
            if (hook == "configure" && plugin == "lxd")
                return {{"ok", true}, {"result", {{"notes", {"pool \"remote-fs\" not created: no ceph module"}}}}};
            return {{"ok", true}, {"result", {{"member", member}}}};
        };
    }
    bool called(const std::string& line) { return std::find(log.begin(), log.end(), line) != log.end(); }
    std::size_t index(const std::string& line) {
        return static_cast<std::size_t>(std::find(log.begin(), log.end(), line) - log.begin());
    }
};

ComponentRun make_run(Fake& fake) {
    ComponentRun run;
    run.members = {"m1", "m2", "m3"};
    run.joining = {"m2", "m3"};
    run.bootstrap = true;
    run.plugins = {{"lxd", {"ovn", "ceph"}, "lxd"}, {"ovn", {}, "ovn"}, {"ceph", {}, "ceph"}};
    run.addresses = {{"m1", "10.0.0.1"}, {"m2", "10.0.0.2"}, {"m3", "10.0.0.3"}};
    run.call = fake.call();
    return run;
}

TEST(Components, BootstrapThenJoinsInWaveOrder) {
    Fake fake;
    const nlohmann::json report = run_components(make_run(fake));
    for (const std::string plugin : {"lxd", "ovn", "ceph"}) {
        EXPECT_EQ(report["plugins"][plugin]["state"], "formed") << report.dump();
        EXPECT_TRUE(fake.called("m1 " + plugin + " join"));
        EXPECT_TRUE(fake.called("m2 " + plugin + " join"));
        EXPECT_TRUE(fake.called("m3 " + plugin + " join"));
        EXPECT_TRUE(fake.called("m1 " + plugin + " configure"));
        EXPECT_TRUE(fake.called("m3 " + plugin + " discover"));
    }
    EXPECT_GT(fake.index("m1 lxd join"), fake.index("m3 ovn join"));
    EXPECT_GT(fake.index("m1 lxd join"), fake.index("m3 ceph join"));
    EXPECT_FALSE(fake.called("m1 lxd teardown"));
}

TEST(Components, NotImplementedPluginTakesNoPart) {
    Fake fake;
    fake.not_implemented = {"lxd", "ovn", "ceph"};
    const nlohmann::json report = run_components(make_run(fake));
    EXPECT_EQ(report["plugins"]["lxd"]["state"], "skipped");
    EXPECT_FALSE(fake.called("m1 lxd join"));
}

TEST(Components, ValidationProblemStopsBeforeAnyChange) {
    Fake fake;
    fake.problems = {{{"field", "ceph.public_network"}, {"message", "no such subnet here"}, {"severity", "error"}}};
    try {
        run_components(make_run(fake));
        FAIL() << "accepted";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "invalid_plan");
        EXPECT_NE(std::string(error.what()).find("ceph: no such subnet here"), std::string::npos);
    }
    for (const auto& line : fake.log) EXPECT_EQ(line.find(" join"), std::string::npos) << line;
}

TEST(Components, FailedJoinRollsBackInReverseAndNamesMemberPluginStep) {
    Fake fake;
    fake.fail_join_on = "m3 lxd";
    try {
        run_components(make_run(fake));
        FAIL() << "accepted";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "component_failed");
        EXPECT_EQ(error.details()["member"], "m3");
        EXPECT_EQ(error.details()["plugin"], "lxd");
        EXPECT_EQ(error.details()["step"], "join");
        EXPECT_NE(std::string(error.what()).find("disk busy"), std::string::npos);
    }
    // Everything joined was torn down, lxd (the later wave) before ovn and ceph.
    for (const std::string member : {"m1", "m2"}) EXPECT_TRUE(fake.called(member + " lxd teardown"));
    EXPECT_FALSE(fake.called("m3 lxd teardown"));
    for (const std::string member : {"m1", "m2", "m3"}) {
        EXPECT_TRUE(fake.called(member + " ovn teardown"));
        EXPECT_LT(fake.index("m1 lxd teardown"), fake.index(member + " ovn teardown"));
    }
    // Each rollback names the members the run joined that plugin on (m3 never joined lxd), in the
    // order they joined (the joins after the bootstrap run at once).
    const auto members = [&fake](const std::string& call) {
        return fake.inputs[call]["run_members"].get<std::set<std::string>>();
    };
    EXPECT_EQ(members("m2 lxd teardown"), (std::set<std::string>{"m1", "m2"}));
    EXPECT_EQ(members("m1 ovn teardown"), (std::set<std::string>{"m1", "m2", "m3"}));
    EXPECT_EQ(fake.inputs["m1 ovn teardown"]["run_members"][0], "m1");
    EXPECT_EQ(fake.inputs["m1 ovn teardown"]["mode"], "rollback");
}

TEST(Components, CancelStopsAtTheNextStepAndRollsBack) {
    Fake fake;
    ComponentRun run = make_run(fake);
    // Cancelled once the first wave's bootstraps ran (as the CLI's Ctrl-C would, mid-run).
    run.cancelled = [&fake] {
        const std::lock_guard lock(fake.mutex);
        return fake.called("m1 ovn join") && fake.called("m1 ceph join");
    };
    try {
        run_components(run);
        FAIL() << "accepted";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "cancelled");
        EXPECT_NE(std::string(error.what()).find("rolled back"), std::string::npos) << error.what();
    }
    EXPECT_FALSE(fake.called("m1 lxd join"));  // the next wave never started
    EXPECT_FALSE(fake.called("m1 ovn configure"));
    for (const std::string plugin : {"ovn", "ceph"}) EXPECT_TRUE(fake.called("m1 " + plugin + " teardown"));
}

TEST(Components, JoinConcurrencyBoundsTheJoinsInFlight) {
    for (const unsigned limit : {0u, 1u}) {
        Fake fake;
        fake.join_time = std::chrono::milliseconds(100);
        ComponentRun run = make_run(fake);
        run.members = {"m1", "m2", "m3", "m4"};
        run.joining = {"m2", "m3", "m4"};
        run.join_concurrency = limit;
        run_components(run);
        for (const std::string plugin : {"lxd", "ovn", "ceph"})
            EXPECT_EQ(fake.most_joining[plugin], limit == 0 ? 3 : 1) << plugin << " with join_concurrency " << limit;
    }
}

TEST(Components, APluginsOwnJoinConcurrencyHoldsForItAlone) {
    Fake fake;
    fake.join_time = std::chrono::milliseconds(100);
    ComponentRun run = make_run(fake);
    run.members = {"m1", "m2", "m3", "m4"};
    run.joining = {"m2", "m3", "m4"};
    run.plugins[0].join_concurrency = 1;  // lxd joins one at a time
    run_components(run);
    EXPECT_EQ(fake.most_joining["lxd"], 1);
    EXPECT_EQ(fake.most_joining["ovn"], 3);
}

TEST(Components, RemoveTearsDownInReverseWaveOrderOnTheFirstMember) {
    Fake fake;
    const nlohmann::json report = remove_from_components(make_run(fake), "m3", false);
    for (const std::string plugin : {"lxd", "ovn", "ceph"}) EXPECT_EQ(report["plugins"][plugin]["state"], "removed");
    EXPECT_EQ(fake.log.size(), 6u);  // each plugin: the removed member is asked to leave, then m1 removes it
    EXPECT_EQ(fake.log[0], "m3 lxd leave");
    EXPECT_EQ(fake.log[1], "m1 lxd teardown");

    Fake refusing;
    refusing.fail_teardown_of = "lxd";
    try {
        remove_from_components(make_run(refusing), "m3", false);
        FAIL() << "a refused removal went on";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "component_failed");
        EXPECT_EQ(error.details()["step"], "remove m3");
        EXPECT_NE(std::string(error.what()).find("still in use"), std::string::npos);
    }
    EXPECT_EQ(refusing.log, (std::vector<std::string>{"m3 lxd leave", "m1 lxd teardown"}));  // nothing after the refusal
    refusing.log.clear();
    const nlohmann::json forced = remove_from_components(make_run(refusing), "m3", true);
    EXPECT_EQ(forced["plugins"]["lxd"]["state"], "failed");
    EXPECT_EQ(forced["plugins"]["ceph"]["state"], "removed");
}

TEST(Components, TheRemovedMemberLeavesBeforeAnotherRemovesIt) {
    Fake fake;
    fake.leaves = {"ovn"};
    const nlohmann::json report = remove_from_components(make_run(fake), "m3", false);
    EXPECT_EQ(report["plugins"]["ovn"]["state"], "removed");
    EXPECT_LT(fake.index("m3 ovn leave"), fake.index("m1 ovn teardown"));

    Fake failing;
    failing.fail_leave_of = "ovn";
    try {
        remove_from_components(make_run(failing), "m3", false);
        FAIL() << "a failed leave went on";
    } catch (const Error& error) {
        EXPECT_EQ(error.details()["member"], "m3");
        EXPECT_EQ(error.details()["plugin"], "ovn");
        EXPECT_EQ(error.details()["step"], "leave");
    }
    EXPECT_FALSE(failing.called("m1 ovn teardown"));
    failing.log.clear();
    EXPECT_EQ(remove_from_components(make_run(failing), "m3", true)["plugins"]["ovn"]["state"], "removed");
}

TEST(Components, OneProviderOfACapabilityTakesPartTheFirstInWaveOrder) {
    const auto network_run = [](Fake& fake) {
        ComponentRun run = make_run(fake);
        run.plugins = {{"lxd", {"ovn", "fan"}, "lxd"},
                       {"fan", {"ovn"}, "", 0, {"network-provider"}},
                       {"ovn", {}, "ovn", 0, {"network-provider"}}};
        return run;
    };
    Fake fake;
    nlohmann::json report = run_components(network_run(fake));
    EXPECT_EQ(report["plugins"]["ovn"]["state"], "formed");
    EXPECT_EQ(report["plugins"]["fan"]["state"], "skipped");
    EXPECT_EQ(report["plugins"]["fan"]["reason"], "network-provider is provided by ovn");
    EXPECT_FALSE(fake.called("m1 fan validate"));
    EXPECT_FALSE(fake.called("m1 fan join"));

    Fake without_ovn;
    without_ovn.not_implemented = {"ovn"};
    report = check_components(network_run(without_ovn));
    EXPECT_EQ(report["plugins"]["fan"]["state"], "ready");
    EXPECT_EQ(report["plugins"]["ovn"]["state"], "skipped");
}

TEST(Components, ServiceAddFormsTheAddedPluginOnEveryMemberAndTheOnesAfterItOnlyConfigure) {
    Fake fake;
    ComponentRun run = make_run(fake);
    run.joining = {};  // a running cloud: nobody joins the membership
    run.bootstrap = false;
    run.adding = {"ceph"};
    const nlohmann::json report = run_components(run);
    EXPECT_EQ(report["plugins"]["ceph"]["state"], "formed") << report.dump();
    EXPECT_EQ(report["plugins"]["ceph"]["joined"].size(), 3u);  // m1 first (its bootstrap), m2 and m3 in parallel
    EXPECT_EQ(report["plugins"]["ceph"]["joined"][0], "m1");
    EXPECT_TRUE(fake.inputs["m1 ceph join"].value("bootstrap", false));
    EXPECT_EQ(fake.inputs["m2 ceph join"]["token"], "ceph-token-m2");
    EXPECT_EQ(fake.inputs["m1 ceph validate"]["joining"], nlohmann::json({"m2", "m3"}));
    // LXD comes after Ceph: it joins no one, and configures with what Ceph published.
    EXPECT_FALSE(fake.called("m1 lxd join"));
    EXPECT_FALSE(fake.called("m2 lxd join"));
    EXPECT_TRUE(fake.inputs["m1 lxd configure"]["published"].contains("ceph"));
    EXPECT_EQ(fake.inputs["m1 lxd configure"]["joining"], nlohmann::json::array());
    EXPECT_FALSE(fake.inputs["m1 lxd configure"].value("bootstrap", true));
    // OVN is neither added nor after Ceph: it takes no part at all.
    EXPECT_FALSE(fake.called("m1 ovn validate"));
    EXPECT_FALSE(fake.called("m1 ovn configure"));
    EXPECT_FALSE(report["plugins"].contains("ovn"));
}

TEST(Components, AFailedConfigureInAServiceAddUndoesThatConfigureAndTheAddedJoins) {
    Fake fake;
    fake.fail_configure_of = "lxd";
    ComponentRun run = make_run(fake);
    run.joining = {};
    run.bootstrap = false;
    run.adding = {"ceph"};
    EXPECT_THROW(run_components(run), Error);
    EXPECT_EQ(fake.inputs["m1 lxd teardown"].value("mode", ""), "undo_configure");
    EXPECT_LT(fake.index("m1 lxd teardown"), fake.index("m1 ceph teardown"));  // its configuration first
    EXPECT_TRUE(fake.called("m3 ceph teardown"));
    EXPECT_FALSE(fake.called("m2 lxd teardown"));
}

TEST(Components, AFailedServiceAddRollsBackTheAddedPluginsJoins) {
    Fake fake;
    fake.fail_join_on = "m3 ceph";
    ComponentRun run = make_run(fake);
    run.joining = {};
    run.bootstrap = false;
    run.adding = {"ceph"};
    EXPECT_THROW(run_components(run), Error);
    EXPECT_TRUE(fake.called("m1 ceph teardown"));
    EXPECT_TRUE(fake.called("m2 ceph teardown"));
    EXPECT_FALSE(fake.called("m1 lxd configure"));
}

TEST(Components, CheckOnlyDiscoversAndValidates) {
    Fake fake;
    fake.not_implemented = {"ovn"};
    const nlohmann::json report = check_components(make_run(fake));
    EXPECT_EQ(report["plugins"]["lxd"]["state"], "ready");
    EXPECT_EQ(report["plugins"]["ovn"]["state"], "skipped");
    for (const auto& line : fake.log)
        EXPECT_TRUE(line.find(" discover") != std::string::npos || line.find(" validate") != std::string::npos) << line;
}

TEST(Components, ThePlanGivesNoDisksWhenNoneWereChosen) {
    Fake fake;
    run_components(make_run(fake));
    for (const std::string hook : {"validate", "join", "configure"})
        EXPECT_EQ(fake.inputs["m1 ceph " + hook]["disks"], nlohmann::json::object()) << hook;
}

TEST(Components, ChosenDisksReachValidateJoinAndConfigure) {
    Fake fake;
    ComponentRun run = make_run(fake);
    const nlohmann::json none = nlohmann::json::array();
    run.disks = {
        {"m1",
         {{"local", {{"path", "/dev/loop3"}, {"wipe", true}, {"source", "storage.local[0]"}}},
          {"ceph", none},
          {"passed_over", none}}},
        {"m2",
         {{"local", nullptr},
          {"ceph", {{{"path", "/dev/loop5"}, {"wipe", false}, {"encrypt", false}, {"source", "storage.ceph[0]"}}}},
          {"passed_over", {{{"path", "/dev/loop6"}, {"reason", "matched no storage.ceph filter"}}}}}}};
    run_components(run);
    for (const std::string plugin : {"lxd", "ovn", "ceph"}) {
        for (const std::string& call :
             {"m1 " + plugin + " validate", "m1 " + plugin + " join", "m2 " + plugin + " join",
              "m3 " + plugin + " join", "m1 " + plugin + " configure"}) {
            ASSERT_TRUE(fake.inputs.contains(call)) << call;
            EXPECT_EQ(fake.inputs[call]["disks"], run.disks) << call;
        }
    }
    Fake dry;
    ComponentRun check = make_run(dry);
    check.disks = run.disks;
    check_components(check);
    EXPECT_EQ(dry.inputs["m1 ceph validate"]["disks"], run.disks);  // a dry run's plan has them too
}

TEST(Components, ConfigureGetsEveryMembersDiscoveryOfItsPlugin) {
    Fake fake;
    run_components(make_run(fake));
    for (const std::string plugin : {"lxd", "ovn", "ceph"}) {
        const nlohmann::json& input = fake.inputs["m1 " + plugin + " configure"];
        ASSERT_TRUE(input.contains("discovery")) << plugin << ": " << input.dump();
        EXPECT_EQ(input["discovery"].size(), 3u) << input["discovery"].dump();
        for (const std::string member : {"m1", "m2", "m3"})
            EXPECT_EQ(input["discovery"][member], (nlohmann::json{{"member", member}})) << plugin << " " << member;
        EXPECT_EQ(input["discovery"], fake.inputs["m1 " + plugin + " validate"]["discovery"]);
    }
}

TEST(Components, ConfigureSeesADiscoveryFailureAsItsError) {
    Fake fake;
    ComponentRun run = make_run(fake);
    const HookCall inner = run.call;
    run.call = [inner](const std::string& member, const std::string& plugin, const std::string& hook,
                       const nlohmann::json& input) -> nlohmann::json {
        if (hook == "discover" && member == "m3" && plugin == "lxd")
            return {{"ok", false}, {"error", {{"code", "lxd_unreachable"}, {"message", "no socket"}}}};
        return inner(member, plugin, hook, input);
    };
    run_components(run);
    const nlohmann::json discovery = fake.inputs["m1 lxd configure"]["discovery"];
    EXPECT_EQ(discovery["m3"]["error"]["code"], "lxd_unreachable") << discovery.dump();
    EXPECT_EQ(discovery["m2"], (nlohmann::json{{"member", "m2"}}));
}

TEST(Components, ConfigureNotesAreSaidInTheRun) {
    Fake fake;
    ComponentRun run = make_run(fake);
    std::vector<std::string> said;
    run.progress = [&said](const std::string& line) { said.push_back(line); };
    run_components(run);
    EXPECT_NE(std::find(said.begin(), said.end(), "Plugin lxd notes: pool \"remote-fs\" not created: no ceph module"),
              said.end());
}

}  // namespace
}  // namespace microcloud::host::formation
