// tests/unit/plugins/lxd/fake_host.cpp - the canned host services behind FakeHost.
#include "fake_host.hpp"

namespace microcloud::plugins::lxd::test {

using sdk::Json;

FakeHost::FakeHost() {
    api_.abi_major = MC_ABI_MAJOR;
    api_.abi_minor = MC_ABI_MINOR;
    api_.struct_size = sizeof(mc_host_api);
    api_.reply = [](mc_call*, const char*, size_t) {};
    api_.fail = [](mc_call*, const char*, const char*, const char*) {};
    api_.log = [](mc_call*, mc_log_level, const char*) {};
    api_.progress = [](mc_call*, const char*, uint64_t, uint64_t) {};
    api_.cancelled = [](mc_call*) -> int32_t { return 0; };
    api_.run_command = &FakeHost::run_command;
    api_.http_request = &FakeHost::http_request;
    api_.member_facts = [](mc_call* call, mc_write_fn out, void* ctx) -> mc_status {
        const std::string& facts = of(call).member_facts_;
        out(ctx, facts.data(), facts.size());
        return MC_STATUS_OK;
    };
    call_.struct_size = sizeof(mc_call);
    call_.input = input_.c_str();
    call_.input_len = input_.size();
    call_.host_data = this;
}

void FakeHost::answer_command(const std::string& argv, int exit_code, const std::string& out, const std::string& err) {
    command_answers_[argv] = Json{{"exit_code", exit_code}, {"stdout", out}, {"stderr", err}, {"timed_out", false}};
}

void FakeHost::answer_http(const std::string& socket, const std::string& path, int status, const std::string& body) {
    http_answers_[socket + " GET " + path] = Json{{"status", status}, {"body", body}, {"headers", Json::object()}};
}

void FakeHost::answer_request(const std::string& socket, const std::string& method, const std::string& path, int status,
                              const std::string& body) {
    http_answers_[socket + " " + method + " " + path] =
        Json{{"status", status}, {"body", body}, {"headers", Json::object()}};
}

void FakeHost::set_input(const Json& input) {
    input_ = input.dump();
    call_.input = input_.c_str();
    call_.input_len = input_.size();
}

sdk::Context FakeHost::context() {
    return sdk::Context(&api_, &call_);
}

FakeHost& FakeHost::of(mc_call* call) {
    return *static_cast<FakeHost*>(call->host_data);
}

void FakeHost::write(mc_write_fn out, void* ctx, const Json& answer) {
    const std::string text = answer.dump();
    out(ctx, text.data(), text.size());
}

mc_status FakeHost::run_command(mc_call* call, const char* request, mc_write_fn out, void* ctx) {
    const Json r = Json::parse(request);
    std::string argv;
    for (const Json& word : r.at("argv")) argv += (argv.empty() ? "" : " ") + word.get<std::string>();
    FakeHost& host = of(call);
    host.commands.push_back(argv);
    auto it = host.command_answers_.find(argv);
    if (it == host.command_answers_.end()) {
        write(out, ctx,
              Json{{"code", "command_not_found"}, {"message", "cannot run " + argv + ": No such file or directory"}});
        return MC_STATUS_ERROR;
    }
    write(out, ctx, it->second);
    return MC_STATUS_OK;
}

mc_status FakeHost::http_request(mc_call* call, const char* request, mc_write_fn out, void* ctx) {
    const Json r = Json::parse(request);
    const std::string key = r.at("socket").get<std::string>() + " " + r.at("method").get<std::string>() + " " +
                            r.at("path").get<std::string>();
    FakeHost& host = of(call);
    host.requests.push_back(key);
    auto it = host.http_answers_.find(key);
    if (it == host.http_answers_.end()) {
        write(out, ctx,
              Json{{"code", "socket_unreachable"},
                   {"message", "cannot reach " + r.at("socket").get<std::string>() + ": Connection refused"}});
        return MC_STATUS_ERROR;
    }
    write(out, ctx, it->second);
    return MC_STATUS_OK;
}

}  // namespace microcloud::plugins::lxd::test
