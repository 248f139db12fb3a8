// tests/unit/plugins/ovn/real_tools_test.cpp - the discovery code paths against the real OVS/OVN
// programs installed here: their `--version` output, and a real ovsdb-server (started inside a
// fresh network namespace with `unshare -n`, in a temporary run directory). Skips what is absent.
#include "ovn_discovery.hpp"
#include "ovn_programs.hpp"
#include "ovsdb_json.hpp"
#include "process_runner.hpp"
#include "temp_dir.hpp"
#include "tool_version.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <thread>

namespace ovn = microcloud::plugins::ovn;
namespace fs = std::filesystem;
using microcloud::sdk::Json;
using microcloud::testing::run_process;
using microcloud::testing::running_as_root;
using microcloud::testing::TempDir;

namespace {

// An OvnConfig with only the run directories set (the rest keep their defaults).
ovn::OvnConfig run_dirs(const std::string& ovs_rundir, const std::string& ovn_rundir) {
    ovn::OvnConfig config;
    config.ovs_rundir = ovs_rundir;
    config.ovn_rundir = ovn_rundir;
    return config;
}

std::string path_env() {
    const char* path = std::getenv("PATH");
    return path ? path : "";
}

std::optional<fs::path> installed(const char* name) {
    return ovn::find_program(name, ovn::program_search_dirs(path_env()));
}

// ovsdb-server serving a fresh Open_vSwitch database at <dir>/db.sock inside its own network
// namespace; stopped (by the pid in its pid file) when the object goes away.
class OvsdbServer {
public:
    OvsdbServer(const fs::path& server, const fs::path& schema, const TempDir& dir) : dir_(dir.path()) {
        auto tool = installed("ovsdb-tool");
        if (!tool) throw std::runtime_error("ovsdb-tool is not installed");
        auto created = run_process({tool->string(), "create", (dir_ / "conf.db").string(), schema.string()});
        if (!created.ok()) throw std::runtime_error("ovsdb-tool create failed: " + created.err);
        auto started = run_process({"unshare", "-n", server.string(), (dir_ / "conf.db").string(),
                                    "--remote=punix:" + (dir_ / "db.sock").string(),
                                    "--pidfile=" + (dir_ / "ovsdb-server.pid").string(),
                                    "--unixctl=" + (dir_ / "ovsdb-server.ctl").string(),
                                    "--log-file=" + (dir_ / "ovsdb-server.log").string(), "--no-chdir", "--detach"});
        read_pid();
        if (!started.ok()) throw std::runtime_error("ovsdb-server did not start: " + started.err);
        for (int i = 0; i < 200 && !fs::exists(dir_ / "db.sock"); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    ~OvsdbServer() {
        read_pid();
        if (pid_ <= 0) return;
        ::kill(pid_, SIGTERM);
        for (int i = 0; i < 200 && alive(pid_); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        if (alive(pid_)) ::kill(pid_, SIGKILL);
    }
    OvsdbServer(const OvsdbServer&) = delete;
    OvsdbServer& operator=(const OvsdbServer&) = delete;

private:
    // Running and not a zombie waiting for init to reap it.
    static bool alive(pid_t pid) {
        std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
        std::string line;
        if (!std::getline(stat, line)) return false;
        auto end_of_name = line.rfind(')');
        return end_of_name != std::string::npos && end_of_name + 2 < line.size() && line[end_of_name + 2] != 'Z';
    }

    void read_pid() {
        std::ifstream in(dir_ / "ovsdb-server.pid");
        long pid = 0;
        if (in >> pid && pid > 0) pid_ = static_cast<pid_t>(pid);
    }
    fs::path dir_;
    pid_t pid_ = 0;
};

}  // namespace

TEST(OvnRealTools, VersionOutputOfInstalledProgramsParses) {
    int found = 0;
    for (const auto& spec : ovn::kOvnPrograms) {
        auto path = installed(spec.name);
        if (!path) continue;
        ++found;
        auto result = run_process({path->string(), "--version"});
        ASSERT_TRUE(result.ok()) << spec.name << ": " << result.err;
        auto version = ovn::parse_tool_version(result.out);
        ASSERT_TRUE(version) << spec.name << " printed: " << result.out;
        EXPECT_FALSE(ovn::version_numbers(version->version).empty()) << result.out;
        EXPECT_EQ(version->program, spec.name);
    }
    if (found == 0) GTEST_SKIP() << "no OVS/OVN program is installed";
}

TEST(OvnRealTools, DiscoveryWithoutARunningDatabase) {
    if (!installed("ovs-vsctl")) GTEST_SKIP() << "ovs-vsctl is not installed";
    TempDir tmp;
    ovn::OvnConfig config = run_dirs((tmp.path() / "ovs").string(), (tmp.path() / "ovn").string());
    ovn::SystemRoots roots;
    roots.path_env = path_env();
    Json report = ovn::ovn_report(ovn::observe_ovn(config, run_process, roots));
    EXPECT_EQ(report["programs"]["ovs-vsctl"]["installed"], true);
    EXPECT_TRUE(report["programs"]["ovs-vsctl"]["version"].is_string()) << report.dump(2);
    EXPECT_EQ(report["database"]["reachable"], false);
    EXPECT_TRUE(report["chassis"].is_null());
    bool all_installed = true;
    for (const auto& spec : ovn::kOvnPrograms) all_installed = all_installed && installed(spec.name).has_value();
    EXPECT_EQ(report["present"], all_installed) << report["reasons"].dump();
}

TEST(OvnRealTools, ReadsChassisSettingsFromARealOvsdbServer) {
    auto server = installed("ovsdb-server");
    auto vsctl = installed("ovs-vsctl");
    const fs::path schema = "/usr/share/openvswitch/vswitch.ovsschema";
    if (!running_as_root()) GTEST_SKIP() << "needs root to create a network namespace";
    if (!server || !vsctl || !installed("ovsdb-tool") || !fs::exists(schema) || !installed("unshare"))
        GTEST_SKIP() << "ovsdb-server, ovsdb-tool, ovs-vsctl, the vswitch schema or unshare is missing";

    TempDir tmp;
    OvsdbServer running(*server, schema, tmp);
    const std::string db = "--db=unix:" + (tmp.path() / "db.sock").string();
    auto set = run_process({vsctl->string(), db, "--timeout=5", "--no-wait", "--", "init", "--", "set", "Open_vSwitch",
                            ".", "external_ids:system-id=lab-m1", "external_ids:ovn-remote=tcp:192.0.2.1:6642",
                            "external_ids:ovn-encap-type=geneve", "external_ids:ovn-encap-ip=192.0.2.11", "--",
                            "add-br", "br-test"});
    ASSERT_TRUE(set.ok()) << set.err;

    ovn::OvnConfig config = run_dirs(tmp.path().string(), (tmp.path() / "ovn").string());
    ovn::SystemRoots roots;
    roots.path_env = path_env();
    Json report = ovn::ovn_report(ovn::observe_ovn(config, run_process, roots));
    EXPECT_EQ(report["database"]["reachable"], true) << report["database"].dump();
    EXPECT_EQ(report["chassis"]["system-id"], "lab-m1");
    EXPECT_EQ(report["chassis"]["ovn-remote"], "tcp:192.0.2.1:6642");
    EXPECT_EQ(report["chassis"]["ovn-encap-type"], "geneve");
    EXPECT_EQ(report["chassis"]["ovn-encap-ip"], "192.0.2.11");
    EXPECT_TRUE(report["chassis"]["ovn-bridge-datapath-type"].is_null());
    EXPECT_EQ(report["daemons"]["ovsdb-server"]["running"], true);
    EXPECT_EQ(report["bridges"], Json::array({"br-test"})) << report["warnings"].dump();
}
