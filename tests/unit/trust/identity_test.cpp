// tests/unit/trust/identity_test.cpp - load-or-create of server.* and cluster.* in a state directory.
#include "trust/identity.hpp"

#include "common/error.hpp"
#include "trust/atomic_file.hpp"
#include "trust/certificate.hpp"
#include "trust_test_support.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

namespace microcloud::host::trust {
namespace {

mode_t file_mode(const std::filesystem::path& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 07777;
}

TEST(Identity, CreatesServerFilesWithPrivateKeyMode0600) {
    test::ScratchDir dir;
    Identity server = load_or_create_server_identity(dir.path(), "m1", {"10.1.0.1"});
    EXPECT_EQ(file_mode(dir.path() / "server.key"), 0600u);
    EXPECT_EQ(file_mode(dir.path() / "server.crt"), 0644u);
    EXPECT_EQ(read_whole_file(dir.path() / "server.crt"), server.certificate_pem);
    EXPECT_EQ(read_whole_file(dir.path() / "server.key"), server.key_pem);
    EXPECT_EQ(server.fingerprint, test::openssl_cli_fingerprint(dir.path() / "server.crt"));
    EXPECT_EQ(server.short_fingerprint(), server.fingerprint.substr(0, 12));
    CertificateInfo info = inspect_certificate(server.certificate_pem);
    EXPECT_EQ(info.common_name, "m1");
    EXPECT_EQ(info.ip_addresses, std::vector<std::string>{"10.1.0.1"});
    // No temporary files are left behind.
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) ++files;
    EXPECT_EQ(files, 2u);
}

TEST(Identity, IsStableAcrossCalls) {
    test::ScratchDir dir;
    Identity first = load_or_create_server_identity(dir.path(), "m1", {});
    Identity second = load_or_create_server_identity(dir.path(), "m1", {});
    EXPECT_EQ(first.fingerprint, second.fingerprint);
    EXPECT_EQ(first.key_pem, second.key_pem);
}

TEST(Identity, ClusterIdentityIsSeparateFromServerIdentity) {
    test::ScratchDir dir;
    Identity server = load_or_create_server_identity(dir.path(), "m1", {});
    Identity cluster = load_or_create_cluster_identity(dir.path(), "microcloud", {"10.1.0.1"});
    EXPECT_NE(server.fingerprint, cluster.fingerprint);
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "cluster.crt"));
    EXPECT_EQ(file_mode(dir.path() / "cluster.key"), 0600u);
    EXPECT_EQ(load_or_create_cluster_identity(dir.path(), "microcloud", {}).fingerprint, cluster.fingerprint);
}

TEST(Identity, CreatesMissingStateDirectory) {
    test::ScratchDir dir;
    Identity server = load_or_create_server_identity(dir.path() / "state" / "nested", "m1", {});
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "state" / "nested" / "server.key"));
}

TEST(Identity, CertificateWithoutKeyIsAnError) {
    test::ScratchDir dir;
    load_or_create_server_identity(dir.path(), "m1", {});
    std::filesystem::remove(dir.path() / "server.key");
    try {
        load_or_create_server_identity(dir.path(), "m1", {});
        FAIL() << "expected identity_incomplete";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "identity_incomplete");
    }
}

TEST(Identity, KeyOfAnotherCertificateIsAnError) {
    test::ScratchDir dir;
    load_or_create_server_identity(dir.path(), "m1", {});
    write_file_atomically(dir.path() / "server.key", generate_self_signed("x", {}).key_pem, 0600);
    try {
        load_or_create_server_identity(dir.path(), "m1", {});
        FAIL() << "expected identity_mismatch";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "identity_mismatch");
    }
}

TEST(Identity, KeyLeftWithoutCertificateIsReplaced) {
    // A crash between writing the key and the certificate leaves only the key; the next start recreates both.
    test::ScratchDir dir;
    write_file_atomically(dir.path() / "server.key", "stale", 0600);
    Identity server = load_or_create_server_identity(dir.path(), "m1", {});
    EXPECT_TRUE(key_matches_certificate(server.certificate_pem, read_whole_file(dir.path() / "server.key")));
}

}  // namespace
}  // namespace microcloud::host::trust
