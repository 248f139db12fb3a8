// host/trust/certificate.hpp - self-signed ECDSA P-256 certificates: generation, inspection, fingerprints.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace microcloud::host::trust {

// A PEM certificate and its PEM (PKCS#8) private key.
struct CertificateAndKey {
    std::string certificate_pem;
    std::string key_pem;
};

// What a certificate says about itself (for display, tests and checks).
struct CertificateInfo {
    std::string common_name;
    std::vector<std::string> dns_names;     // subjectAltName DNS entries
    std::vector<std::string> ip_addresses;  // subjectAltName IP entries, textual (IPv4 dotted, IPv6 RFC 5952)
    std::string serial_hex;
    std::chrono::system_clock::time_point not_before;
    std::chrono::system_clock::time_point not_after;
};

inline constexpr int certificate_validity_days = 3650;

// A new ECDSA P-256 key and a self-signed SHA-256 certificate valid for 10 years: subject and issuer
// CN = `name`, subjectAltName DNS:`name` plus one IP entry per address, random 128-bit serial.
// Throws Error("invalid_address") for an address that is not an IP literal, Error("certificate_failed")
// when OpenSSL fails.
CertificateAndKey generate_self_signed(const std::string& name, const std::vector<std::string>& ip_addresses);

// Lowercase hex SHA-256 of the DER encoding of the (first) certificate in `certificate_pem`; equals
// `openssl x509 -fingerprint -sha256` without colons. Throws Error("invalid_certificate").
std::string fingerprint(std::string_view certificate_pem);

// The first 12 hex digits of a fingerprint, as upstream shows it next to the passphrase.
std::string short_fingerprint(std::string_view full_fingerprint);

// Parses the certificate; throws Error("invalid_certificate").
CertificateInfo inspect_certificate(std::string_view certificate_pem);

// Whether `key_pem` is the private key of `certificate_pem` (false if either does not parse).
bool key_matches_certificate(std::string_view certificate_pem, std::string_view key_pem);

}  // namespace microcloud::host::trust
