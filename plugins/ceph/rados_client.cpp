// plugins/ceph/rados_client.cpp - librados loaded with dlopen and driven through its C API (the
// declarations below are librados.h's, written out so the plugin builds without librados-dev).
#include "rados_client.hpp"

#include <dlfcn.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>

namespace microcloud::plugins::ceph {

struct RadosLibrary::Api {
    using Create2 = int (*)(void** cluster, const char* cluster_name, const char* name, std::uint64_t flags);
    using ConfReadFile = int (*)(void* cluster, const char* path);
    using ConfSet = int (*)(void* cluster, const char* option, const char* value);
    using Connect = int (*)(void* cluster);
    using Shutdown = void (*)(void* cluster);
    using MonCommand = int (*)(void* cluster, const char** cmd, std::size_t cmdlen, const char* inbuf,
                               std::size_t inbuflen, char** outbuf, std::size_t* outbuflen, char** outs,
                               std::size_t* outslen);
    using BufferFree = void (*)(char* buf);

    Create2 create2 = nullptr;
    ConfReadFile conf_read_file = nullptr;
    ConfSet conf_set = nullptr;
    Connect connect = nullptr;
    Shutdown shutdown = nullptr;
    MonCommand mon_command = nullptr;
    BufferFree buffer_free = nullptr;
};

namespace {

template <typename Fn>
bool resolve(void* handle, const char* symbol, Fn& into, std::string& why) {
    into = reinterpret_cast<Fn>(dlsym(handle, symbol));
    if (!into) why = std::string("it has no ") + symbol;
    return into != nullptr;
}

std::string errno_text(int rc) {
    return std::strerror(rc < 0 ? -rc : rc) + std::string(" (") + std::to_string(rc) + ")";
}

// Takes a buffer librados allocated and frees it.
std::string take(const RadosLibrary::Api& api, char* buffer, std::size_t length) {
    std::string text = buffer ? std::string(buffer, length) : std::string();
    if (buffer) api.buffer_free(buffer);
    return text;
}

}  // namespace

std::shared_ptr<const RadosLibrary> RadosLibrary::load(const std::string& soname, std::string& why) {
    void* handle = dlopen(soname.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char* error = dlerror();
        why = error ? error : ("cannot load " + soname);
        return nullptr;
    }
    auto api = std::make_unique<Api>();
    if (!resolve(handle, "rados_create2", api->create2, why) ||
        !resolve(handle, "rados_conf_read_file", api->conf_read_file, why) ||
        !resolve(handle, "rados_conf_set", api->conf_set, why) ||
        !resolve(handle, "rados_connect", api->connect, why) ||
        !resolve(handle, "rados_shutdown", api->shutdown, why) ||
        !resolve(handle, "rados_mon_command", api->mon_command, why) ||
        !resolve(handle, "rados_buffer_free", api->buffer_free, why)) {
        why = soname + ": " + why;
        dlclose(handle);
        return nullptr;
    }
    return std::shared_ptr<const RadosLibrary>(new RadosLibrary(handle, std::move(api)));
}

RadosLibrary::RadosLibrary(void* handle, std::unique_ptr<Api> api) : handle_(handle), api_(std::move(api)) {}

// Not unloaded: librados leaves thread-local state and atexit handlers behind after a shutdown.
RadosLibrary::~RadosLibrary() = default;

RadosConnection::RadosConnection(std::shared_ptr<const RadosLibrary> library, const RadosTarget& target)
    : library_(std::move(library)) {
    const RadosLibrary::Api& api = library_->api();
    const auto fail = [&](const std::string& step, int rc) {
        throw sdk::Error("ceph_unreachable", "Ceph: librados could not " + step + " (config " + target.conf_path +
                                                 ", cluster \"" + target.cluster + "\", as " + target.client +
                                                 "): " + errno_text(rc));
    };
    if (int rc = api.create2(&cluster_, target.cluster.c_str(), target.client.c_str(), 0); rc < 0) {
        cluster_ = nullptr;
        fail("make a cluster handle", rc);
    }
    const std::string connect_timeout = std::to_string(target.connect_timeout.count());
    const std::string command_timeout = std::to_string(target.command_timeout.count());
    // The RAII owner is not constructed yet, so a failure below shuts the handle down here.
    const auto fail_and_close = [&](const std::string& step, int rc) {
        api.shutdown(cluster_);
        cluster_ = nullptr;
        fail(step, rc);
    };
    if (int rc = api.conf_read_file(cluster_, target.conf_path.c_str()); rc < 0)
        fail_and_close("read the config file", rc);
    if (int rc = api.conf_set(cluster_, "client_mount_timeout", connect_timeout.c_str()); rc < 0)
        fail_and_close("set client_mount_timeout", rc);
    if (int rc = api.conf_set(cluster_, "rados_mon_op_timeout", command_timeout.c_str()); rc < 0)
        fail_and_close("set rados_mon_op_timeout", rc);
    // No log file and nothing on stderr: the hook's answer says what went wrong.
    api.conf_set(cluster_, "log_to_stderr", "false");
    api.conf_set(cluster_, "err_to_stderr", "false");
    api.conf_set(cluster_, "log_file", "");
    if (int rc = api.connect(cluster_); rc < 0) fail_and_close("reach a monitor", rc);
}

RadosConnection::~RadosConnection() {
    if (cluster_) library_->api().shutdown(cluster_);
}

MonAnswer RadosConnection::command(const sdk::Json& command) const {
    const RadosLibrary::Api& api = library_->api();
    const std::string text = command.dump();
    const char* words[] = {text.c_str()};
    char* out = nullptr;
    char* status = nullptr;
    std::size_t out_length = 0;
    std::size_t status_length = 0;
    MonAnswer answer;
    answer.rc = api.mon_command(cluster_, words, 1, "", 0, &out, &out_length, &status, &status_length);
    answer.out = take(api, out, out_length);
    answer.status = take(api, status, status_length);
    return answer;
}

std::vector<sdk::Json> rados_documents(const RadosConnection& connection, const std::vector<sdk::Json>& commands,
                                       std::string& failure) {
    std::vector<sdk::Json> documents;
    bool timed_out = false;
    for (const sdk::Json& command : commands) {
        if (timed_out) {
            documents.emplace_back();
            continue;
        }
        const MonAnswer answer = connection.command(command);
        sdk::Json parsed = answer.rc == 0 ? sdk::Json::parse(answer.out, nullptr, false) : sdk::Json();
        if (parsed.is_discarded()) parsed = nullptr;
        if (parsed.is_null() && failure.empty())
            failure =
                "`" + command.value("prefix", command.dump()) + "` " +
                (answer.rc < 0 ? "failed: " + errno_text(answer.rc) + (answer.status.empty() ? "" : " " + answer.status)
                               : "printed no JSON: \"" + answer.out.substr(0, 200) + "\"");
        timed_out = answer.rc == -ETIMEDOUT;
        documents.push_back(std::move(parsed));
    }
    return documents;
}

namespace {

// The config file as it is now ("" when it cannot be read): a different stamp means a different file.
std::string file_stamp(const std::string& path) {
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    if (error) return {};
    const auto modified = std::filesystem::last_write_time(path, error);
    if (error) return {};
    return path + "\n" + std::to_string(size) + "\n" + std::to_string(modified.time_since_epoch().count());
}

}  // namespace

std::vector<sdk::Json> KeptRadosConnection::documents(const std::shared_ptr<const RadosLibrary>& library,
                                                      const RadosTarget& target, const std::vector<sdk::Json>& commands,
                                                      std::string& failure) {
    const std::lock_guard lock(mutex_);
    const std::string stamp = file_stamp(target.conf_path);
    if (connection_ && (stamp.empty() || stamp != stamp_)) connection_.reset();
    if (connection_ && !commands.empty()) {
        // The first command alone first: when the kept connection no longer works, only that one
        // waits before a new connection is tried.
        std::string first_failure;
        std::vector<sdk::Json> answers = rados_documents(*connection_, {commands.front()}, first_failure);
        if (first_failure.empty()) {
            const std::vector<sdk::Json> rest(commands.begin() + 1, commands.end());
            for (sdk::Json& answer : rados_documents(*connection_, rest, failure)) answers.push_back(std::move(answer));
            return answers;
        }
        connection_.reset();
    }
    auto fresh = std::make_unique<RadosConnection>(library, target);
    std::vector<sdk::Json> answers = rados_documents(*fresh, commands, failure);
    if (failure.empty()) {
        connection_ = std::move(fresh);
        stamp_ = stamp;
    }
    return answers;
}

void KeptRadosConnection::drop() {
    const std::lock_guard lock(mutex_);
    connection_.reset();
}

}  // namespace microcloud::plugins::ceph
