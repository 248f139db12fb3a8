// microcloud/sdk/plugin.hpp - header-only C++ layer over plugin.h: derive from sdk::Plugin and
// add MICROCLOUD_PLUGIN(Class, "id", "version"). Compiled into the plugin, never across the ABI:
// exceptions are turned into error statuses here, JSON is turned into text here.
#pragma once

#include <microcloud/sdk/plugin.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace microcloud::sdk {

/// JSON value type used by the C++ layer (text across the ABI). Since ABI 1.0.
using Json = nlohmann::json;

/// A failure with a stable snake_case code, a human message and optional JSON details.
/// Thrown by hooks and by Context services. Since ABI 1.0.
class Error : public std::runtime_error {
public:
    Error(std::string code, const std::string& message, Json details = nullptr)
        : std::runtime_error(message), code_(std::move(code)), details_(std::move(details)) {}
    /// The stable error code, e.g. "not_implemented". Since ABI 1.0.
    const std::string& code() const noexcept { return code_; }
    /// Optional structured details (null when none). Since ABI 1.0.
    const Json& details() const noexcept { return details_; }

private:
    std::string code_;
    Json details_;
};

/// Throws the conventional error for a lifecycle hook that is not written yet. Since ABI 1.0.
[[noreturn]] inline void not_implemented(std::string_view plugin, std::string_view hook) {
    throw Error("not_implemented", std::string(plugin) + ": the " + std::string(hook) + " hook is not implemented yet");
}

/// Options for Context::run. Since ABI 1.0.
struct CommandOptions {
    std::map<std::string, std::string> env;  ///< added to the host's environment
    std::string stdin_data;                  ///< written to the command's stdin
    std::chrono::milliseconds timeout{30000};
    /// The answer depends only on the program file (e.g. `--version`): the host may answer from
    /// an earlier successful run while argv[0] (found as exec would) is the same unchanged file.
    /// A hint within ABI 1.0: a host that does not know it runs the command every time.
    bool cache_while_program_unchanged = false;
};

/// What a finished command left behind. Since ABI 1.0.
struct CommandResult {
    int exit_code = -1;
    std::string out;
    std::string err;
    bool timed_out = false;
    /// True when the command exited 0 within its timeout. Since ABI 1.0.
    bool ok() const noexcept { return exit_code == 0 && !timed_out; }
};

/// An HTTP answer received over a unix socket. Since ABI 1.0.
struct HttpResponse {
    int status = 0;
    std::string body;
    /// The body parsed as JSON; throws Error("bad_response") if it is not JSON. Since ABI 1.0.
    Json json() const {
        Json parsed = Json::parse(body, nullptr, false);
        if (parsed.is_discarded())
            throw Error("bad_response", "HTTP response body is not JSON: " + body.substr(0, 200));
        return parsed;
    }
};

namespace detail {
inline void append_to_string(void* ctx, const char* data, std::size_t len) {
    static_cast<std::string*>(ctx)->append(data, len);
}

// True when the host's table is long enough to hold the function pointer at `offset`.
inline bool host_has(const mc_host_api* host, std::size_t offset) {
    return host != nullptr && offset + sizeof(void*) <= host->struct_size;
}
}  // namespace detail

/// One hook invocation as the plugin sees it: the request and the host's services.
/// Since ABI 1.0.
/// What every hook's input says about the member it runs on (its "member" object). Header
/// helper since MicroCloud 0.2; reads input of ABI 1.0.
struct MemberInput {
    /// This member's name in the cluster.
    std::string name;
    /// microcloudd's state directory on this member.
    std::string state_dir;
    /// The plugin's own persistent directory on this member (mode 0700); empty from hosts before
    /// MicroCloud 0.2, which do not send it.
    std::string plugin_dir;
};

class Context {
public:
    Context(const mc_host_api* host, mc_call* call)
        : host_(host),
          call_(call),
          input_(Json::parse(std::string_view(call->input, call->input_len), nullptr, false)) {
        if (input_.is_discarded()) throw Error("invalid_input", "the host sent a request that is not JSON");
    }

    /// The hook's request. Since ABI 1.0.
    const Json& input() const noexcept { return input_; }

    /// The input's "member" object, typed; fields the host did not send are empty. Header helper
    /// since MicroCloud 0.2.
    MemberInput member() const {
        const Json member = input_.is_object() ? input_.value("member", Json::object()) : Json::object();
        if (!member.is_object()) return {};
        const auto text = [&member](const char* key) {
            const auto it = member.find(key);
            return it != member.end() && it->is_string() ? it->get<std::string>() : std::string();
        };
        return {text("name"), text("state_dir"), text("plugin_dir")};
    }

    /// True when the host asks discover for `microcloud status` (input "purpose": "status"): the
    /// report may leave out what the status hook reports and what only a plan needs (disks,
    /// interfaces). Always false from hosts before MicroCloud 0.2. Header helper since MicroCloud 0.2.
    bool discovering_for_status() const {
        return input_.is_object() && input_.value("purpose", Json()) == Json("status");
    }

    /// Writes to the host's log. Since ABI 1.0.
    void log(mc_log_level level, const std::string& message) const { host_->log(call_, level, message.c_str()); }
    void debug(const std::string& message) const { log(MC_LOG_DEBUG, message); }
    void info(const std::string& message) const { log(MC_LOG_INFO, message); }
    void warn(const std::string& message) const { log(MC_LOG_WARN, message); }

    /// Reports progress of a long step (total 0 when unknown). Since ABI 1.0.
    void progress(const std::string& step, std::uint64_t done, std::uint64_t total) const {
        host_->progress(call_, step.c_str(), done, total);
    }

    /// True once the operation was cancelled; long hooks check it between steps. Since ABI 1.0.
    bool cancelled() const { return host_->cancelled(call_) != 0; }

    /// Runs a command through the host. Throws Error when it could not be started; a command
    /// that ran and failed is a CommandResult with a non-zero exit code. Since ABI 1.0.
    CommandResult run(const std::vector<std::string>& argv, const CommandOptions& options = {}) const {
        require(offsetof(mc_host_api, run_command), "run_command");
        Json request = {{"argv", argv},
                        {"env", options.env},
                        {"stdin", options.stdin_data},
                        {"timeout_ms", options.timeout.count()}};
        if (options.cache_while_program_unchanged) request["cache"] = "while_program_unchanged";
        Json answer = call_service(host_->run_command, request);
        CommandResult result;
        result.exit_code = answer.value("exit_code", -1);
        result.out = answer.value("stdout", "");
        result.err = answer.value("stderr", "");
        result.timed_out = answer.value("timed_out", false);
        return result;
    }

    /// Sends one HTTP request over the unix socket at `socket`. Throws Error when no answer came
    /// (socket missing, refused, timed out). Since ABI 1.0.
    HttpResponse http(const std::string& socket, const std::string& method, const std::string& path,
                      const std::string& body = {},
                      std::chrono::milliseconds timeout = std::chrono::milliseconds(10000)) const {
        require(offsetof(mc_host_api, http_request), "http_request");
        Json request = {
            {"socket", socket}, {"method", method}, {"path", path}, {"body", body}, {"timeout_ms", timeout.count()}};
        if (!body.empty()) request["headers"] = {{"Content-Type", "application/json"}};
        Json answer = call_service(host_->http_request, request);
        return HttpResponse{answer.value("status", 0), answer.value("body", "")};
    }

    /// This member's system facts (interfaces, disks, default route). Since ABI 1.0.
    Json member_facts() const {
        require(offsetof(mc_host_api, member_facts), "member_facts");
        std::string out;
        if (host_->member_facts(call_, &detail::append_to_string, &out) != MC_STATUS_OK)
            throw Error("host_service_failed", "the host could not collect member facts: " + out);
        return Json::parse(out);
    }

private:
    using Service = mc_status (*)(mc_call*, const char*, mc_write_fn, void*);

    void require(std::size_t offset, const char* name) const {
        if (!detail::host_has(host_, offset))
            throw Error("host_service_missing", std::string("the host does not offer the ") + name + " service");
    }

    Json call_service(Service service, const Json& request) const {
        std::string text = request.dump();
        std::string out;
        mc_status status = service(call_, text.c_str(), &detail::append_to_string, &out);
        Json answer = Json::parse(out, nullptr, false);
        if (answer.is_discarded()) throw Error("host_service_failed", "the host answered: " + out);
        if (status != MC_STATUS_OK)
            throw Error(answer.value("code", "host_service_failed"), answer.value("message", out));
        return answer;
    }

    const mc_host_api* host_;
    mc_call* call_;
    Json input_;
};

/// Base class of a plugin. The derived class has a constructor taking `const Json& config` and
/// may add any of the optional hooks with the same signature:
/// `Json issue_token(Context&)`, `Json configure(Context&)`, `Json status(Context&)`.
/// Since ABI 1.0.
class Plugin {
public:
    virtual ~Plugin() = default;
    /// Required: report the component on this member; absence is a fact, not an error. Since ABI 1.0.
    virtual Json discover(Context& ctx) = 0;
    /// Required: return a JSON array of problems {"field","message","severity"}. Since ABI 1.0.
    virtual Json validate(Context& ctx) = 0;
    /// Required: bootstrap or join the component cluster. Since ABI 1.0.
    virtual Json join(Context& ctx) = 0;
    /// Required: input "mode" "rollback" undoes this member's part of a failed run; "remove"
    /// takes member input "remove" out of the component cluster; "leave" runs on that member
    /// itself first (throw Error("unsupported", ...) when there is nothing to do there); see
    /// plugin.h. Since ABI 1.0.
    virtual Json teardown(Context& ctx) = 0;
};

namespace detail {

template <class T>
concept HasIssueToken = requires(T& t, Context& c) {
    { t.issue_token(c) } -> std::convertible_to<Json>;
};
template <class T>
concept HasConfigure = requires(T& t, Context& c) {
    { t.configure(c) } -> std::convertible_to<Json>;
};
template <class T>
concept HasStatus = requires(T& t, Context& c) {
    { t.status(c) } -> std::convertible_to<Json>;
};

// What the host holds: the plugin object and the host's service table.
template <class T>
struct Instance {
    const mc_host_api* host;
    std::unique_ptr<T> plugin;
};

// Runs one hook, turning every exception into a failure status: none may cross the ABI.
template <class T, class Fn>
mc_status invoke(void* instance, mc_call* call, Fn&& fn) noexcept {
    auto* self = static_cast<Instance<T>*>(instance);
    const mc_host_api* host = self->host;
    try {
        Context ctx(host, call);
        std::string result = fn(*self->plugin, ctx).dump();
        host->reply(call, result.data(), result.size());
        return MC_STATUS_OK;
    } catch (const Error& e) {
        std::string details = e.details().is_null() ? std::string() : e.details().dump();
        host->fail(call, e.code().c_str(), e.what(), details.empty() ? nullptr : details.c_str());
    } catch (const std::exception& e) {
        host->fail(call, "internal_error", e.what(), nullptr);
    } catch (...) {
        host->fail(call, "internal_error", "the plugin threw a non-standard exception", nullptr);
    }
    return MC_STATUS_ERROR;
}

template <class T>
void* create(const mc_host_api* host, const char* config_json, mc_write_fn err, void* err_ctx) noexcept {
    try {
        Json config = Json::parse(config_json ? config_json : "{}");
        auto instance = std::make_unique<Instance<T>>(Instance<T>{host, std::make_unique<T>(config)});
        return instance.release();  // the host owns it until it calls destroy
    } catch (const std::exception& e) {
        std::string message = e.what();
        if (err) err(err_ctx, message.data(), message.size());
    } catch (...) {
        static constexpr std::string_view message = "the plugin threw a non-standard exception";
        if (err) err(err_ctx, message.data(), message.size());
    }
    return nullptr;
}

template <class T>
void destroy(void* instance) noexcept {
    std::unique_ptr<Instance<T>> owned(static_cast<Instance<T>*>(instance));
}

template <class T>
const mc_plugin_descriptor* descriptor(const char* id, const char* version) noexcept {
    static_assert(std::is_base_of_v<Plugin, T>, "a plugin class derives from microcloud::sdk::Plugin");
    static const mc_plugin_descriptor d = [&] {
        mc_plugin_descriptor out{};
        out.abi_major = MC_ABI_MAJOR;
        out.abi_minor = MC_ABI_MINOR;
        out.struct_size = sizeof(mc_plugin_descriptor);
        out.id = id;
        out.version = version;
        out.create = &create<T>;
        out.destroy = &destroy<T>;
        out.discover = [](void* i, mc_call* c) {
            return invoke<T>(i, c, [](T& p, Context& x) { return p.discover(x); });
        };
        out.validate = [](void* i, mc_call* c) {
            return invoke<T>(i, c, [](T& p, Context& x) { return p.validate(x); });
        };
        out.join = [](void* i, mc_call* c) { return invoke<T>(i, c, [](T& p, Context& x) { return p.join(x); }); };
        out.teardown = [](void* i, mc_call* c) {
            return invoke<T>(i, c, [](T& p, Context& x) { return p.teardown(x); });
        };
        if constexpr (HasIssueToken<T>)
            out.issue_token = [](void* i, mc_call* c) {
                return invoke<T>(i, c, [](T& p, Context& x) { return Json(p.issue_token(x)); });
            };
        if constexpr (HasConfigure<T>)
            out.configure = [](void* i, mc_call* c) {
                return invoke<T>(i, c, [](T& p, Context& x) { return Json(p.configure(x)); });
            };
        if constexpr (HasStatus<T>)
            out.status = [](void* i, mc_call* c) {
                return invoke<T>(i, c, [](T& p, Context& x) { return Json(p.status(x)); });
            };
        return out;
    }();
    return &d;
}

}  // namespace detail
}  // namespace microcloud::sdk

/// Defines the plugin's entry symbol for class CLASS with the given id and version strings
/// (string literals). Use once per plugin library. Since ABI 1.0.
#define MICROCLOUD_PLUGIN(CLASS, ID, VERSION)                                        \
    extern "C" MC_EXPORT const mc_plugin_descriptor* microcloud_plugin_entry(void) { \
        return ::microcloud::sdk::detail::descriptor<CLASS>(ID, VERSION);            \
    }
