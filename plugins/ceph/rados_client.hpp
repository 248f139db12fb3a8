// plugins/ceph/rados_client.hpp - monitor commands through librados (Debian's librados2), loaded
// at run time: the status hook asks the cluster in-process instead of starting the Python `ceph`
// CLI (about 0.3 s of CPU a call). Without the library the plugin keeps working through the CLI.
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace microcloud::plugins::ceph {

// The soname of Debian's librados2.
inline constexpr const char* kRadosSoname = "librados.so.2";

// The few librados entry points the plugin calls, resolved from one dlopen'ed library (kept loaded
// for the life of the object: librados does not support being unloaded while threads it started
// may still run).
class RadosLibrary {
public:
    // Loads `soname` (a name the dynamic loader looks up, or a path); null, with the loader's reason
    // in `why`, when it is missing or lacks an entry point.
    static std::shared_ptr<const RadosLibrary> load(const std::string& soname, std::string& why);
    ~RadosLibrary();
    RadosLibrary(const RadosLibrary&) = delete;
    RadosLibrary& operator=(const RadosLibrary&) = delete;

    struct Api;  // the resolved entry points (rados_client.cpp)
    const Api& api() const { return *api_; }

private:
    RadosLibrary(void* handle, std::unique_ptr<Api> api);
    void* handle_;
    std::unique_ptr<Api> api_;
};

// Where and as whom to connect.
struct RadosTarget {
    std::string conf_path;                        // the cluster's config file (names mon_host, keyring)
    std::string cluster{"ceph"};                  // cluster name
    std::string client{"client.admin"};           // the entity to authenticate as
    std::chrono::seconds connect_timeout{15};     // client_mount_timeout
    std::chrono::seconds command_timeout{20};     // rados_mon_op_timeout
};

// One monitor command's answer.
struct MonAnswer {
    int rc = 0;              // 0, or a negative errno
    std::string out;         // the command's output (JSON when asked for)
    std::string status;      // the monitor's status line (the error text when rc < 0)
};

// One authenticated connection to the cluster's monitors; shut down when destroyed.
class RadosConnection {
public:
    // Connects; throws sdk::Error("ceph_unreachable") naming the step, the config file and the errno
    // text when the handle cannot be made, the config read, or no monitor answers in time.
    RadosConnection(std::shared_ptr<const RadosLibrary> library, const RadosTarget& target);
    ~RadosConnection();
    RadosConnection(const RadosConnection&) = delete;
    RadosConnection& operator=(const RadosConnection&) = delete;

    // Sends one command (its JSON form, e.g. {"prefix":"status","format":"json"}) to the monitors.
    MonAnswer command(const sdk::Json& command) const;

private:
    std::shared_ptr<const RadosLibrary> library_;
    void* cluster_ = nullptr;  // rados_t
};

// Each command's answer as a JSON document, in order, on `connection`: null for one that failed
// or did not print JSON, and the first such failure described in `failure`. After a command that
// timed out the rest are not sent (null): the monitors are not answering.
std::vector<sdk::Json> rados_documents(const RadosConnection& connection, const std::vector<sdk::Json>& commands,
                                       std::string& failure);

// One connection kept from call to call: `microcloud status` asks the cluster on every run, and
// connecting (monitor session, cephx) costs several times what the commands do. It is made again
// when the target's config file changed (path, size or modification time) and when a kept
// connection's first command fails; a fresh connection that fails is not kept. Thread-safe.
class KeptRadosConnection {
public:
    // The answers as rados_documents gives them. Throws as RadosConnection when no connection can be
    // made.
    std::vector<sdk::Json> documents(const std::shared_ptr<const RadosLibrary>& library, const RadosTarget& target,
                                     const std::vector<sdk::Json>& commands, std::string& failure);
    // Shuts the kept connection down (the cluster it reached is being taken down or replaced).
    void drop();

private:
    std::mutex mutex_;
    std::unique_ptr<RadosConnection> connection_;
    std::string stamp_;  // what the config file was when connection_ was made
};

}  // namespace microcloud::plugins::ceph
