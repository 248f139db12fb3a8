// tests/unit/plugins/lxd/ovn_tls_files_test.cpp - the OVN TLS files LXD 5.0 reads: which are
// written, with which modes, and how a rollback puts back what was there.
#include "ovn_tls_files.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace microcloud::plugins::lxd {
namespace {

namespace fs = std::filesystem;
using sdk::Json;
using microcloud::testing::TempDir;

std::string read(const fs::path& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const Json kPublished = {{"northbound_connection", "ssl:10.0.0.1:6641"},
                         {"ca_cert", "CA PEM"},
                         {"client_cert", "CERT PEM"},
                         {"client_key", "KEY PEM"}};

TEST(LxdOvnTlsFiles, TheFilesLxd50ReadsComeFromWhatOvnPublished) {
    EXPECT_EQ(ovn_tls_files(kPublished), (std::map<std::string, std::string>{
                                             {"ovn-central.crt", "CA PEM"}, {"cert_host", "CERT PEM"}, {"key_host", "KEY PEM"}}));
    EXPECT_TRUE(ovn_tls_files(Json{{"northbound_connection", "tcp:10.0.0.1:6641"}}).empty());
    EXPECT_TRUE(ovn_tls_files(Json()).empty());
}

TEST(LxdOvnTlsFiles, TheExtensionIsReadFromTheServer) {
    EXPECT_TRUE(has_extension(Json{{"api_extensions", {"clustering", "ovn_ssl_config"}}}, kOvnSslExtension));
    EXPECT_FALSE(has_extension(Json{{"api_extensions", {"clustering"}}}, kOvnSslExtension));
    EXPECT_FALSE(has_extension(Json::object(), kOvnSslExtension));
}

TEST(LxdOvnTlsFiles, WrittenWithTheKeyPrivateAndPutBackOnRollback) {
    TempDir dir;
    const fs::path root = dir.path();
    std::ofstream(root / "cert_host") << "OPERATOR'S CERT";
    ReplacedFiles replaced;
    write_ovn_tls_files(root.string(), ovn_tls_files(kPublished), replaced);
    write_ovn_tls_files(root.string(), ovn_tls_files(kPublished), replaced);  // twice: the first prior is kept
    EXPECT_EQ(read(root / "key_host"), "KEY PEM");
    EXPECT_EQ(fs::status(root / "key_host").permissions(), fs::perms::owner_read | fs::perms::owner_write);
    EXPECT_EQ(read(root / "cert_host"), "CERT PEM");
    restore_files(replaced);
    EXPECT_EQ(read(root / "cert_host"), "OPERATOR'S CERT");
    EXPECT_FALSE(fs::exists(root / "key_host"));
    EXPECT_FALSE(fs::exists(root / "ovn-central.crt"));
}

}  // namespace
}  // namespace microcloud::plugins::lxd
