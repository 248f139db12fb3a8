// tests/unit/plugins/lxd/fake_host.hpp - a host service table with canned command and HTTP answers,
// so the plugin's hooks run in tests exactly as they run under microcloudd.
#pragma once

#include <microcloud/sdk/plugin.h>
#include <microcloud/sdk/plugin.hpp>

#include <map>
#include <string>
#include <vector>

namespace microcloud::plugins::lxd::test {

class FakeHost {
public:
    FakeHost();
    FakeHost(const FakeHost&) = delete;
    FakeHost& operator=(const FakeHost&) = delete;

    /// `argv` joined by spaces answers with this result; other commands cannot be started.
    void answer_command(const std::string& argv, int exit_code, const std::string& out, const std::string& err = {});
    /// GET `path` on `socket` answers with status and body; other requests find nobody listening.
    void answer_http(const std::string& socket, const std::string& path, int status, const std::string& body);

    /// `method` `path` on `socket` answers with status and body (LXD's JSON envelope).
    void answer_request(const std::string& socket, const std::string& method, const std::string& path, int status,
                        const std::string& body);
    /// The request the next contexts carry (default: an empty object).
    void set_input(const sdk::Json& input);
    /// What the member_facts service answers (default: an empty object).
    void set_member_facts(const sdk::Json& facts) { member_facts_ = facts.dump(); }

    /// A Context for one hook call with the request set by set_input.
    sdk::Context context();

    /// Every HTTP request made, as "<socket> <method> <path>".
    std::vector<std::string> requests;
    /// Every command run, argv joined by spaces.
    std::vector<std::string> commands;

private:
    static FakeHost& of(mc_call* call);
    static void write(mc_write_fn out, void* ctx, const sdk::Json& answer);
    static mc_status run_command(mc_call* call, const char* request, mc_write_fn out, void* ctx);
    static mc_status http_request(mc_call* call, const char* request, mc_write_fn out, void* ctx);

    mc_host_api api_{};
    mc_call call_{};
    std::string input_ = "{}";
    std::string member_facts_ = "{}";
    std::map<std::string, sdk::Json> command_answers_;
    std::map<std::string, sdk::Json> http_answers_;
};

}  // namespace microcloud::plugins::lxd::test
