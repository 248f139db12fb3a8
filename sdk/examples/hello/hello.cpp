// sdk/examples/hello/hello.cpp - the smallest useful plugin: discovers the kernel it runs on,
// validates its one config key, and keeps a greeting file as its "component cluster".
#include <microcloud/sdk/plan.hpp>
#include <microcloud/sdk/plugin.hpp>

#include <filesystem>
#include <fstream>

namespace sdk = microcloud::sdk;

class HelloPlugin : public sdk::Plugin {
public:
    explicit HelloPlugin(const sdk::Json& config) {
        for (const auto& [key, value] : config.items()) {
            if (key != "greeting")
                throw sdk::Error("invalid_config", "hello: unknown config key \"" + key + "\" (accepted: greeting)");
            greeting_ = value.get<std::string>();
        }
    }

    sdk::Json discover(sdk::Context& ctx) override {
        sdk::CommandResult uname = ctx.run({"uname", "-r"});
        std::string kernel = uname.out.substr(0, uname.out.find('\n'));
        return {{"present", true}, {"version", "1.0.0"}, {"kernel", kernel}, {"greeting", greeting_}};
    }

    sdk::Json validate(sdk::Context& ctx) override {
        sdk::Json problems = sdk::Json::array();
        // The plan, typed (plan.hpp): its `config` is this plugin's preseed section ("hello:").
        const sdk::Plan plan = sdk::plan_of(ctx);
        if (plan.config.contains("greeting") && !plan.config["greeting"].is_string())
            problems.push_back(
                {{"field", "hello.greeting"}, {"message", "must be a text"}, {"severity", "error"}});
        return problems;
    }

    sdk::Json join(sdk::Context& ctx) override {
        const std::string dir = own_dir(ctx);
        if (dir.empty()) throw sdk::Error("invalid_input", "hello: join needs member.plugin_dir in its input");
        ctx.progress("writing greeting", 0, 1);
        std::ofstream(std::filesystem::path(dir) / "hello.txt") << greeting_ << "\n";
        ctx.progress("writing greeting", 1, 1);
        const sdk::Plan plan = sdk::plan_of(ctx);
        return {{"joined", true}, {"bootstrapped", plan.bootstrap}, {"leader", plan.leader()}};
    }

    sdk::Json teardown(sdk::Context& ctx) override {
        // "remove" runs on a member that stays, to take another out: nothing of that one is here.
        const sdk::Json& input = ctx.input();
        if (input.value("mode", "") == "remove" && input.value("remove", "") != ctx.member().name)
            return {{"removed", false}};
        const std::string dir = own_dir(ctx);
        std::error_code ec;
        if (!dir.empty()) std::filesystem::remove(std::filesystem::path(dir) / "hello.txt", ec);
        return {{"removed", true}};
    }

    // Optional hook: detected by the SDK because the class defines it. "service" is this member's
    // row in `microcloud service list`, present once the greeting is kept here.
    sdk::Json status(sdk::Context& ctx) {
        const std::string dir = own_dir(ctx);
        std::error_code ec;
        const bool joined = !dir.empty() && std::filesystem::exists(std::filesystem::path(dir) / "hello.txt", ec);
        sdk::Json out{{"healthy", true}, {"summary", joined ? "greeting kept" : "not joined here"}};
        if (joined) out["service"] = {{"role", "greeter"}, {"status", "ONLINE"}};
        return out;
    }

private:
    // This plugin's own persistent directory (hosts before MicroCloud 0.2 send only state_dir).
    static std::string own_dir(const sdk::Context& ctx) {
        const sdk::MemberInput member = ctx.member();
        return member.plugin_dir.empty() ? member.state_dir : member.plugin_dir;
    }

    std::string greeting_ = "hello";
};

MICROCLOUD_PLUGIN(HelloPlugin, "org.example.hello", "1.0.0")
