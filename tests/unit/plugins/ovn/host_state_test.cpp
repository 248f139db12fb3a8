// tests/unit/plugins/ovn/host_state_test.cpp - kernel module, pid file and socket checks on
// fake trees.
#include "host_state.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace ovn = microcloud::plugins::ovn;
using microcloud::testing::TempDir;

TEST(HostState, KernelModuleIsADirectoryUnderSysModule) {
    TempDir sys;
    EXPECT_FALSE(ovn::kernel_module_loaded(sys.path(), "openvswitch"));
    sys.mkdir("module/openvswitch");
    EXPECT_TRUE(ovn::kernel_module_loaded(sys.path(), "openvswitch"));
}

TEST(HostState, DaemonFromPidFile) {
    TempDir tmp;
    auto proc = tmp.mkdir("proc");
    tmp.mkdir("proc/4242");
    auto alive = ovn::daemon_state("ovsdb-server", tmp.write("run/ovsdb-server.pid", "4242\n"), proc);
    EXPECT_EQ(alive.pid, 4242);
    EXPECT_TRUE(alive.running);

    auto stale = ovn::daemon_state("ovs-vswitchd", tmp.write("run/ovs-vswitchd.pid", "4243\n"), proc);
    EXPECT_EQ(stale.pid, 4243);
    EXPECT_FALSE(stale.running);

    auto garbage = ovn::daemon_state("ovn-northd", tmp.write("run/ovn-northd.pid", "nope\n"), proc);
    EXPECT_FALSE(garbage.pid);
    EXPECT_FALSE(garbage.running);

    auto missing = ovn::daemon_state("ovn-controller", tmp.path() / "run/ovn-controller.pid", proc);
    EXPECT_FALSE(missing.pid);
    EXPECT_EQ(missing.pidfile, (tmp.path() / "run/ovn-controller.pid").string());
}

TEST(HostState, KilledButUnreapedDaemonIsNotRunning) {
    TempDir tmp;
    auto proc = tmp.mkdir("proc");
    tmp.write("proc/4244/stat", "4244 (ovs-vswitchd) Z 1 4244 4244 0 -1\n");
    tmp.write("proc/4245/stat", "4245 (ovs vswitchd) S 1 4245 4245 0 -1\n");  // a space in the name
    EXPECT_FALSE(ovn::daemon_state("ovs-vswitchd", tmp.write("run/a.pid", "4244\n"), proc).running);
    EXPECT_TRUE(ovn::daemon_state("ovs-vswitchd", tmp.write("run/b.pid", "4245\n"), proc).running);
}

TEST(HostState, OwnProcessIsRunningInRealProc) {
    TempDir tmp;
    auto pidfile = tmp.write("self.pid", std::to_string(::getpid()) + "\n");
    EXPECT_TRUE(ovn::daemon_state("self", pidfile, "/proc").running);
}

TEST(HostState, SocketMustBeASocket) {
    TempDir tmp;
    auto file = tmp.write("db.sock", "");
    EXPECT_FALSE(ovn::is_socket(file));
    EXPECT_FALSE(ovn::is_socket(tmp.path() / "absent.sock"));

    auto path = tmp.path() / "real.sock";
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_TRUE(ovn::is_socket(path));
    ::close(fd);
}
