// tests/unit/plugins/lxd/discovery_report_test.cpp - absent and not-running reports and their reasons.
#include "discovery_report.hpp"

#include <gtest/gtest.h>

namespace microcloud::plugins::lxd {
namespace {

using sdk::Json;

ProgramProbe installed() { return ProgramProbe{true, "5.0.2", {}}; }
ProgramProbe missing() { return program_not_started("cannot run lxd: No such file or directory"); }

SocketChoice no_socket() {
    return SocketChoice{std::nullopt, SocketSource::none, {std::string(snap_socket), std::string(package_socket)}};
}

SocketChoice configured(const std::string& path) { return SocketChoice{path, SocketSource::configured, {path}}; }

TEST(LxdDiscoveryReport, AbsentNamesThePathsTriedAndTheMissingProgram) {
    Observations seen;
    seen.program = missing();
    seen.socket = no_socket();
    const Json r = build_report(seen);
    EXPECT_EQ(r.at("present"), false);
    EXPECT_EQ(r.at("running"), false);
    EXPECT_EQ(r.at("installed"), false);
    EXPECT_TRUE(r.at("socket").is_null());
    EXPECT_EQ(r.at("socket_source"), "none");
    EXPECT_FALSE(r.contains("version"));
    ASSERT_EQ(r.at("reasons").size(), 2u);
    EXPECT_EQ(r.at("reasons")[0],
              "The lxd program was not found on this member's PATH: `lxd --version` could not be started: "
              "cannot run lxd: No such file or directory.");
    EXPECT_EQ(r.at("reasons")[1],
              "No LXD socket was found: LXD_DIR is not set and /var/snap/lxd/common/lxd/unix.socket and "
              "/var/lib/lxd/unix.socket do not exist; set plugins.lxd.socket if LXD listens elsewhere.");
}

TEST(LxdDiscoveryReport, InstalledButSocketMissing) {
    Observations seen;
    seen.program = installed();
    seen.socket = configured("/srv/lxd/unix.socket");
    const Json r = build_report(seen);
    EXPECT_EQ(r.at("present"), true);
    EXPECT_EQ(r.at("running"), false);
    EXPECT_EQ(r.at("program_version"), "5.0.2");
    EXPECT_EQ(r.at("socket"), "/srv/lxd/unix.socket");
    EXPECT_EQ(r.at("reasons"), Json::array({"The LXD socket /srv/lxd/unix.socket (from the plugin configuration) "
                                            "does not exist, so the LXD daemon is not running."}));
}

TEST(LxdDiscoveryReport, SocketThereButNoAnswer) {
    Observations seen;
    seen.program = installed();
    seen.socket = SocketChoice{"/var/lib/lxd/unix.socket", SocketSource::package_default, {}};
    seen.socket_exists = true;
    seen.server = Answer{Json(), "cannot connect: Connection refused"};
    const Json r = build_report(seen);
    EXPECT_EQ(r.at("present"), true);
    EXPECT_EQ(r.at("running"), false);
    EXPECT_EQ(r.at("reasons"), Json::array({"LXD did not answer GET /1.0 on /var/lib/lxd/unix.socket (the "
                                            "package's default): cannot connect: Connection refused."}));
}

TEST(LxdDiscoveryReport, RunningWithoutTheProgramOnPathIsStillPresent) {
    Observations seen;
    seen.program = missing();
    seen.socket = configured("/s");
    seen.socket_exists = true;
    seen.server = Answer{Json{{"version", "5.21.1"}}, {}};
    seen.storage_pools = Answer{Json::array(), {}};
    seen.networks = Answer{Json(), "LXD answered GET /1.0/networks with 500: boom"};
    const Json r = build_report(seen);
    EXPECT_EQ(r.at("present"), true);
    EXPECT_EQ(r.at("running"), true);
    EXPECT_EQ(r.at("version"), "5.21.1");
    EXPECT_EQ(r.at("storage_pools"), Json::array());
    EXPECT_FALSE(r.contains("networks"));
    ASSERT_EQ(r.at("reasons").size(), 2u);
    EXPECT_EQ(r.at("reasons")[1], "Could not list LXD's networks: LXD answered GET /1.0/networks with 500: boom.");
}

}  // namespace
}  // namespace microcloud::plugins::lxd
