// tests/unit/plugins/lxd/socket_choice_test.cpp - the order in which the LXD socket is chosen.
#include "socket_choice.hpp"

#include <gtest/gtest.h>

#include <set>

namespace microcloud::plugins::lxd {
namespace {

// An `exists` that knows only the given paths.
auto existing(std::set<std::string> paths) {
    return [paths = std::move(paths)](const std::string& path) { return paths.count(path) > 0; };
}

const std::string snap(snap_socket);
const std::string package(package_socket);

TEST(LxdSocketChoice, ConfiguredSocketWinsEvenIfMissing) {
    SocketChoice c = choose_socket("/cfg/unix.socket", "/lxd-dir", existing({snap, package}));
    EXPECT_EQ(c.path, "/cfg/unix.socket");
    EXPECT_EQ(c.source, SocketSource::configured);
    EXPECT_EQ(source_name(c.source), "config");
}

TEST(LxdSocketChoice, LxdDirComesNext) {
    SocketChoice c = choose_socket(std::nullopt, "/tmp/lxd", existing({snap}));
    EXPECT_EQ(c.path, "/tmp/lxd/unix.socket");
    EXPECT_EQ(c.source, SocketSource::lxd_dir);
    EXPECT_EQ(source_name(c.source), "LXD_DIR");
    EXPECT_EQ(choose_socket(std::nullopt, "/tmp/lxd/", existing({})).path, "/tmp/lxd/unix.socket");
}

TEST(LxdSocketChoice, EmptyLxdDirIsIgnored) {
    EXPECT_EQ(choose_socket(std::nullopt, "", existing({package})).path, package);
}

TEST(LxdSocketChoice, SnapBeforePackage) {
    SocketChoice c = choose_socket(std::nullopt, std::nullopt, existing({snap, package}));
    EXPECT_EQ(c.path, snap);
    EXPECT_EQ(c.source, SocketSource::snap_default);
}

TEST(LxdSocketChoice, PackageWhenNoSnap) {
    SocketChoice c = choose_socket(std::nullopt, std::nullopt, existing({package}));
    EXPECT_EQ(c.path, package);
    EXPECT_EQ(c.source, SocketSource::package_default);
    EXPECT_EQ(c.tried, (std::vector<std::string>{snap, package}));
}

TEST(LxdSocketChoice, NoneFoundNamesThePathsTried) {
    SocketChoice c = choose_socket(std::nullopt, std::nullopt, existing({}));
    EXPECT_FALSE(c.path);
    EXPECT_EQ(c.source, SocketSource::none);
    EXPECT_EQ(c.tried, (std::vector<std::string>{snap, package}));
}

}  // namespace
}  // namespace microcloud::plugins::lxd
