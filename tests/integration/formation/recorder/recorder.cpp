// tests/integration/formation/recorder/recorder.cpp - a test plugin for the component steps of
// formation: every hook appends one JSON line to <member state dir>/recorder.log (hook, member,
// bootstrap, token); its join fails on the member its preseed section names in fail_join_on,
// crashes (SIGSEGV) on the one named in crash_join_on, and hangs for 30 s on the one in hang_join_on;
// with skip: true it takes no part (validate answers unsupported).
// A hook named on the first line of <state dir>/recorder.pause logs "<hook>-paused" and waits while
// that file exists (up to 120 s): the fault tests kill a daemon at that moment.
#include <microcloud/sdk/plugin.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

namespace {

using microcloud::sdk::Context;
using microcloud::sdk::Json;

class Recorder : public microcloud::sdk::Plugin {
public:
    explicit Recorder(const Json&) {}

    Json discover(Context& ctx) override {
        pause_if_asked(ctx, "discover");
        return note(ctx, "discover", {{"present", true}});
    }
    Json validate(Context& ctx) override {
        pause_if_asked(ctx, "validate");
        note(ctx, "validate", {});
        if (ctx.input().value("config", Json::object()).value("skip", false))
            throw microcloud::sdk::Error("unsupported", "recorder was told to take no part");
        return Json::array();
    }
    Json join(Context& ctx) override {
        pause_if_asked(ctx, ctx.input().value("bootstrap", false) ? "bootstrap" : "join");
        const Json& input = ctx.input();
        const std::string fail_on = input.value("config", Json::object()).value("fail_join_on", std::string());
        if (!fail_on.empty() && fail_on == member(ctx)) {
            note(ctx, "join-failed", {});
            throw microcloud::sdk::Error("recorder_join_failed", "recorder was told to fail on " + fail_on);
        }
        const std::string crash_on = input.value("config", Json::object()).value("crash_join_on", std::string());
        if (!crash_on.empty() && crash_on == member(ctx)) {
            note(ctx, "join-crashed", {});
            std::raise(SIGSEGV);  // a plugin bug: only this plugin's worker process may die of it
        }
        const std::string hang_on = input.value("config", Json::object()).value("hang_join_on", std::string());
        if (!hang_on.empty() && hang_on == member(ctx)) {
            note(ctx, "join-started", {});
            std::this_thread::sleep_for(std::chrono::seconds(30));  // the test kills the daemon meanwhile
        }
        return note(ctx, "join", {{"bootstrap", input.value("bootstrap", false)}});
    }
    Json teardown(Context& ctx) override { return note(ctx, "teardown", {}); }
    Json issue_token(Context& ctx) {
        pause_if_asked(ctx, "issue_token");
        return "recorder-token-" + ctx.input().value("name", std::string());
    }
    Json configure(Context& ctx) {
        pause_if_asked(ctx, "configure");
        return note(ctx, "configure", {});
    }

private:
    static std::string member(Context& ctx) {
        return ctx.input().value("member", Json::object()).value("name", std::string());
    }
    static std::string state_dir(Context& ctx) {
        return ctx.input().value("member", Json::object()).value("state_dir", std::string("."));
    }
    static void pause_if_asked(Context& ctx, const std::string& hook) {
        const std::string file = state_dir(ctx) + "/recorder.pause";
        std::string wanted;
        if (!std::getline(std::ifstream(file) >> std::ws, wanted) || wanted != hook) return;
        note(ctx, hook + "-paused", {});
        for (int i = 0; i < 1200 && std::filesystem::exists(file); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    // Appends {"hook", "member", "token"?, ...extra} to the log and returns it.
    static Json note(Context& ctx, const std::string& hook, Json extra) {
        const Json& input = ctx.input();
        extra["hook"] = hook;
        extra["member"] = member(ctx);
        if (input.contains("token")) extra["token"] = input["token"];
        std::ofstream(state_dir(ctx) + "/recorder.log", std::ios::app) << extra.dump() << "\n";
        return extra;
    }
};

}  // namespace

MICROCLOUD_PLUGIN(Recorder, "org.microcloud.test.recorder", "1.0.0")
