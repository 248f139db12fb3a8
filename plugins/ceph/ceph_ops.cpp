// plugins/ceph/ceph_ops.cpp - running Ceph's tools and daemons on one member.
#include "ceph_ops.hpp"

#include "ceph_status.hpp"

#include <microcloud/sdk/programs.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace microcloud::plugins::ceph {

namespace fs = std::filesystem;

CephOps::CephOps(const sdk::Context& ctx, const CephConfig& config)
    : ctx_(ctx), config_(config), layout_(layout_of(config)) {
    std::error_code ec;
    systemd_ = config.service_manager == ServiceManager::systemd ||
               (config.service_manager == ServiceManager::automatic && fs::is_directory("/run/systemd/system", ec));
    if (systemd_ && (config.conf_dir != "/etc/ceph" || config.cluster != "ceph"))
        throw sdk::Error("invalid_config",
                         "ceph: the distribution's systemd units read /etc/ceph/ceph.conf, so service_manager "
                         "systemd needs conf_dir /etc/ceph and cluster \"ceph\" (got " +
                             config.conf_dir + ", \"" + config.cluster + "\"); accepted: service_manager direct");
}

sdk::CommandResult CephOps::run(const Argv& argv, const std::string& input, std::chrono::seconds timeout) const {
    sdk::CommandOptions options;
    options.stdin_data = input;
    options.timeout = timeout;
    options.env["CEPH_CONF"] = layout_.conf;
    return ctx_.run(argv, options);
}

sdk::CommandResult CephOps::must(const Argv& argv, const std::string& what, const std::string& input,
                                 std::chrono::seconds timeout) const {
    sdk::CommandResult result = run(argv, input, timeout);
    if (!result.ok())
        throw sdk::Error("ceph_command_failed", "Ceph: could not " + what + ": " + argv.front() + " " +
                                                    sdk::programs::failure_text(result),
                         {{"argv", argv}});
    return result;
}

sdk::Json CephOps::query(const Argv& args, const std::string& what) const {
    Argv full = args;
    full.insert(full.end(), {"--format", "json"});
    const auto result = must(ceph_cli(config_, full), what);
    sdk::Json parsed = sdk::Json::parse(result.out, nullptr, false);
    if (parsed.is_discarded())
        throw sdk::Error("ceph_bad_answer", "Ceph: " + what + ": the answer is not JSON: " + result.out.substr(0, 200));
    return parsed;
}

sdk::Json CephOps::try_query(const Argv& args) const {
    Argv full = args;
    full.insert(full.end(), {"--format", "json"});
    const auto result = run(ceph_cli(config_, full), {}, std::chrono::seconds(20));
    if (!result.ok()) return nullptr;
    sdk::Json parsed = sdk::Json::parse(result.out, nullptr, false);
    return parsed.is_discarded() ? sdk::Json() : parsed;
}

CephOps::Batch CephOps::query_batch(const std::vector<Argv>& commands, std::chrono::seconds timeout) const {
    std::string input;
    for (const Argv& words : commands) {
        std::string line;
        for (const std::string& word : words) line += (line.empty() ? "" : " ") + word;
        input += line + "\n";
    }
    Batch batch{run(ceph_cli(config_, {"--format", "json"}), input, timeout), {}};
    batch.documents = json_documents(batch.result.out);
    return batch;
}

void CephOps::wait_for(const std::function<bool()>& ready, std::chrono::seconds timeout, const std::string& what,
                       std::chrono::milliseconds step) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (ready()) return;
        if (std::chrono::steady_clock::now() >= deadline)
            throw sdk::Error("ceph_timeout", "Ceph: " + what + " did not happen within " +
                                                 std::to_string(timeout.count()) + " s");
        if (ctx_.cancelled()) throw sdk::Error("cancelled", "Ceph: cancelled while waiting until " + what);
        std::this_thread::sleep_for(step);
    }
}

void CephOps::start(const std::string& kind, const std::string& id, const Argv& extra) const {
    if (systemd_) must({"chown", "-R", "ceph:ceph", layout_.daemon_dir(kind, id)}, "give " + kind + "." + id + " its data");
    must(daemon_start(config_, systemd_, kind, id, extra), "start " + kind + "." + id);
}

int CephOps::running_pid(const std::string& kind, const std::string& id) const {
    const std::string text = read_text(layout_.pid_file(kind, id));
    const int pid = std::atoi(text.c_str());
    if (pid <= 0) return 0;
    const std::string cmdline = read_text("/proc/" + std::to_string(pid) + "/cmdline");
    return cmdline.find("ceph-" + kind) != std::string::npos ? pid : 0;
}

bool CephOps::stop(const std::string& kind, const std::string& id) const {
    if (systemd_) return run(daemon_stop_systemd(kind, id)).ok();
    const int pid = running_pid(kind, id);
    if (pid == 0) return false;
    const std::string proc = "/proc/" + std::to_string(pid);
    run({"kill", "-TERM", std::to_string(pid)});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    std::error_code ec;
    while (fs::exists(proc, ec) && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (fs::exists(proc, ec)) run({"kill", "-KILL", std::to_string(pid)});
    return true;
}

void CephOps::write_file(const std::string& path, const std::string& text, unsigned mode) const {
    std::error_code ec;
    fs::create_directories(fs::path(path).parent_path(), ec);
    {
        std::ofstream out(path, std::ios::trunc);
        if (!out) throw sdk::Error("ceph_file_failed", "Ceph: could not write " + path);
        ::chmod(path.c_str(), 0600);
        out << text;
        if (!out) throw sdk::Error("ceph_file_failed", "Ceph: could not write " + path);
    }
    ::chmod(path.c_str(), static_cast<mode_t>(mode));
}

std::string random_uuid() {
    std::string uuid = read_text("/proc/sys/kernel/random/uuid");
    while (!uuid.empty() && (uuid.back() == '\n' || uuid.back() == ' ')) uuid.pop_back();
    if (uuid.size() != 36) throw sdk::Error("ceph_file_failed", "Ceph: the kernel gave no random UUID");
    return uuid;
}

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    if (!in) return {};
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::uint64_t mem_total_bytes() {
    std::istringstream meminfo(read_text("/proc/meminfo"));
    std::string key;
    std::uint64_t kib = 0;
    while (meminfo >> key >> kib) {
        if (key == "MemTotal:") return kib * 1024;
        meminfo.ignore(64, '\n');
    }
    return 0;
}

}  // namespace microcloud::plugins::ceph
