// tests/unit/trust/certificate_test.cpp - generated certificates parse back with the right name, SANs,
// validity and key; fingerprints match the openssl CLI.
#include "trust/certificate.hpp"

#include "common/error.hpp"
#include "trust/atomic_file.hpp"
#include "trust_test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace microcloud::host::trust {
namespace {

using namespace std::chrono_literals;

TEST(Certificate, ParsesBackWithNameSansAndTenYearValidity) {
    CertificateAndKey pair = generate_self_signed("m1", {"10.0.0.1", "fd00::1"});
    ASSERT_NE(pair.certificate_pem.find("BEGIN CERTIFICATE"), std::string::npos);
    ASSERT_NE(pair.key_pem.find("BEGIN PRIVATE KEY"), std::string::npos);

    CertificateInfo info = inspect_certificate(pair.certificate_pem);
    EXPECT_EQ(info.common_name, "m1");
    EXPECT_EQ(info.dns_names, std::vector<std::string>{"m1"});
    EXPECT_EQ(info.ip_addresses, (std::vector<std::string>{"10.0.0.1", "fd00::1"}));
    EXPECT_FALSE(info.serial_hex.empty());
    auto validity = info.not_after - info.not_before;
    EXPECT_GE(validity, std::chrono::hours(24 * 3650) - 1h);
    EXPECT_LE(validity, std::chrono::hours(24 * 3650) + 1h);
    EXPECT_LE(info.not_before, std::chrono::system_clock::now() + 1min);
    EXPECT_TRUE(key_matches_certificate(pair.certificate_pem, pair.key_pem));
}

TEST(Certificate, IsEcdsaP256SignedWithSha256PerOpensslCli) {
    test::ScratchDir dir;
    CertificateAndKey pair = generate_self_signed("m1", {"10.0.0.1"});
    write_file_atomically(dir.path() / "c.crt", pair.certificate_pem, 0644);
    std::string text = test::run_command("openssl x509 -noout -text -in '" + (dir.path() / "c.crt").string() + "'");
    EXPECT_NE(text.find("ecdsa-with-SHA256"), std::string::npos) << text;
    EXPECT_NE(text.find("P-256"), std::string::npos) << text;
    EXPECT_NE(text.find("DNS:m1, IP Address:10.0.0.1"), std::string::npos) << text;
    EXPECT_NE(text.find("TLS Web Server Authentication, TLS Web Client Authentication"), std::string::npos) << text;
}

TEST(Certificate, SerialsAndKeysDifferBetweenCertificates) {
    CertificateAndKey a = generate_self_signed("m1", {});
    CertificateAndKey b = generate_self_signed("m1", {});
    EXPECT_NE(inspect_certificate(a.certificate_pem).serial_hex, inspect_certificate(b.certificate_pem).serial_hex);
    EXPECT_NE(fingerprint(a.certificate_pem), fingerprint(b.certificate_pem));
    EXPECT_FALSE(key_matches_certificate(a.certificate_pem, b.key_pem));
}

TEST(Certificate, FingerprintMatchesOpensslCli) {
    test::ScratchDir dir;
    CertificateAndKey pair = generate_self_signed("m2", {"192.168.1.7"});
    write_file_atomically(dir.path() / "server.crt", pair.certificate_pem, 0644);
    std::string ours = fingerprint(pair.certificate_pem);
    EXPECT_EQ(ours.size(), 64u);
    EXPECT_TRUE(std::all_of(ours.begin(), ours.end(), [](char c) { return std::isxdigit(c) && !std::isupper(c); }));
    EXPECT_EQ(ours, test::openssl_cli_fingerprint(dir.path() / "server.crt"));
    EXPECT_EQ(short_fingerprint(ours), ours.substr(0, 12));
}

TEST(Certificate, RejectsAddressThatIsNotAnIp) {
    try {
        generate_self_signed("m1", {"not-an-ip"});
        FAIL() << "expected invalid_address";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "invalid_address");
        EXPECT_NE(std::string(e.what()).find("not-an-ip"), std::string::npos);
    }
}

TEST(Certificate, RejectsTextThatIsNotACertificate) {
    try {
        fingerprint("hello");
        FAIL() << "expected invalid_certificate";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "invalid_certificate");
    }
    EXPECT_FALSE(key_matches_certificate("hello", "world"));
}

}  // namespace
}  // namespace microcloud::host::trust
