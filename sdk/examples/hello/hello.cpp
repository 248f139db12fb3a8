// sdk/examples/hello/hello.cpp - the smallest useful plugin: discovers the kernel it runs on,
// validates its one config key, and keeps a greeting file as its "component cluster".
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
        const sdk::Json& plan = ctx.input();
        if (plan.contains("hello") && !plan["hello"].is_object())
            problems.push_back({{"field", "hello"}, {"message", "must be a map"}, {"severity", "error"}});
        return problems;
    }

    sdk::Json join(sdk::Context& ctx) override {
        const std::string dir = state_dir(ctx);
        if (dir.empty()) throw sdk::Error("invalid_input", "hello: join needs member.state_dir in its input");
        ctx.progress("writing greeting", 0, 1);
        std::ofstream(std::filesystem::path(dir) / "hello.txt") << greeting_ << "\n";
        ctx.progress("writing greeting", 1, 1);
        return {{"joined", true}};
    }

    sdk::Json teardown(sdk::Context& ctx) override {
        const std::string dir = state_dir(ctx);
        std::error_code ec;
        if (!dir.empty()) std::filesystem::remove(std::filesystem::path(dir) / "hello.txt", ec);
        return {{"removed", true}};
    }

    // Optional hook: detected by the SDK because the class defines it.
    sdk::Json status(sdk::Context&) { return {{"healthy", true}}; }

private:
    // The member's state directory: every hook's input carries {"member": {"name", "state_dir"}}.
    static std::string state_dir(sdk::Context& ctx) {
        const sdk::Json& input = ctx.input();
        if (!input.contains("member") || !input["member"].is_object()) return {};
        return input["member"].value("state_dir", "");
    }

    std::string greeting_ = "hello";
};

MICROCLOUD_PLUGIN(HelloPlugin, "org.example.hello", "1.0.0")
