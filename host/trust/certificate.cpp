// host/trust/certificate.cpp - self-signed ECDSA P-256 certificates with OpenSSL 3: generation, inspection,
// fingerprints.
#include "trust/certificate.hpp"
#include "common/hex.hpp"

#include "common/error.hpp"
#include "trust/openssl_ptr.hpp"

#include <arpa/inet.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/pem.h>

#include <array>
#include <cctype>
#include <ctime>

namespace microcloud::host::trust {
namespace {

[[noreturn]] void fail(const std::string& step) {
    throw Error("certificate_failed", "Failed to create certificate (" + step + "): " + openssl_errors(),
                {{"step", step}});
}

[[noreturn]] void fail_parse(const std::string& what) {
    std::string detail = openssl_errors();
    throw Error("invalid_certificate", "Invalid certificate: " + what + (detail.empty() ? "" : ": " + detail));
}

BioPtr memory_bio(std::string_view text) {
    BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
    if (!bio) fail("memory buffer");
    return bio;
}

std::string bio_contents(BIO* bio) {
    char* data = nullptr;
    long size = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(size));
}

X509Ptr parse_certificate(std::string_view pem) {
    BioPtr bio = memory_bio(pem);
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) fail_parse("no PEM certificate found");
    return cert;
}

// The textual IP literal as the 4 or 16 bytes X.509 stores, or an error naming it.
ASN1_OCTET_STRING* ip_octets(const std::string& address) {
    std::array<unsigned char, 16> bytes{};
    int size = 0;
    if (inet_pton(AF_INET, address.c_str(), bytes.data()) == 1) {
        size = 4;
    } else if (inet_pton(AF_INET6, address.c_str(), bytes.data()) == 1) {
        size = 16;
    } else {
        throw Error("invalid_address", "Invalid IP address \"" + address + "\" for a certificate (want IPv4 or IPv6)",
                    {{"address", address}});
    }
    ASN1_OCTET_STRING* octets = ASN1_OCTET_STRING_new();
    if (!octets || ASN1_OCTET_STRING_set(octets, bytes.data(), size) != 1) {
        ASN1_OCTET_STRING_free(octets);
        fail("subjectAltName IP");
    }
    return octets;
}

void add_subject_alt_names(X509* cert, const std::string& name, const std::vector<std::string>& ip_addresses) {
    GeneralNamesPtr names(sk_GENERAL_NAME_new_null());
    if (!names) fail("subjectAltName");
    auto push = [&](int type, void* value) {
        GENERAL_NAME* entry = GENERAL_NAME_new();
        if (!entry) fail("subjectAltName");
        GENERAL_NAME_set0_value(entry, type, value);
        if (sk_GENERAL_NAME_push(names.get(), entry) == 0) {
            GENERAL_NAME_free(entry);
            fail("subjectAltName");
        }
    };
    ASN1_IA5STRING* dns = ASN1_IA5STRING_new();
    if (!dns || ASN1_STRING_set(dns, name.data(), static_cast<int>(name.size())) != 1) {
        ASN1_IA5STRING_free(dns);
        fail("subjectAltName DNS");
    }
    push(GEN_DNS, dns);
    for (const std::string& address : ip_addresses) push(GEN_IPADD, ip_octets(address));
    if (X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) != 1) {
        fail("subjectAltName extension");
    }
}

void add_extension(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
    X509ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, ctx, nid, value));
    if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) fail(std::string("extension ") + OBJ_nid2sn(nid));
}

void set_random_serial(X509* cert) {
    BignumPtr serial(BN_new());
    // 127 random bits: positive and at most 16 bytes, as RFC 5280 asks.
    if (!serial || BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1) fail("serial");
    Asn1IntegerPtr integer(BN_to_ASN1_INTEGER(serial.get(), nullptr));
    if (!integer || X509_set_serialNumber(cert, integer.get()) != 1) fail("serial");
}

std::chrono::system_clock::time_point to_time_point(const ASN1_TIME* time) {
    std::tm tm{};
    if (ASN1_TIME_to_tm(time, &tm) != 1) fail_parse("bad validity time");
    return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::string asn1_to_utf8(const ASN1_STRING* value) {
    unsigned char* utf8 = nullptr;
    int size = ASN1_STRING_to_UTF8(&utf8, value);
    if (size < 0) fail_parse("bad string");
    std::string out(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(size));
    OPENSSL_free(utf8);
    return out;
}

std::string ip_to_text(const ASN1_OCTET_STRING* octets) {
    char text[INET6_ADDRSTRLEN] = {};
    int size = ASN1_STRING_length(octets);
    const unsigned char* data = ASN1_STRING_get0_data(octets);
    int family = size == 4 ? AF_INET : size == 16 ? AF_INET6 : 0;
    if (family == 0 || !inet_ntop(family, data, text, sizeof text)) return "";
    return text;
}

}  // namespace

CertificateAndKey generate_self_signed(const std::string& name, const std::vector<std::string>& ip_addresses) {
    if (name.empty()) throw Error("invalid_name", "A certificate needs a non-empty name");

    // P-256, not P-384: OpenSSL 3.0 has an optimised constant-time P-256 and only the generic code for
    // P-384, where one signature or verification took about 1 ms here, 20-40 times P-256's. A mutual TLS
    // handshake makes two of each, and members make thousands when 50 of them form a cluster.
    EvpPkeyPtr key(EVP_EC_gen("P-256"));
    if (!key) fail("P-256 key");

    X509Ptr cert(X509_new());
    if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) fail("new certificate");
    set_random_serial(cert.get());
    if (!X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0) ||
        !X509_time_adj_ex(X509_getm_notAfter(cert.get()), certificate_validity_days, 0, nullptr)) {
        fail("validity");
    }

    X509NamePtr subject(X509_NAME_new());
    if (!subject ||
        X509_NAME_add_entry_by_NID(subject.get(), NID_commonName, MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(name.c_str()), -1, -1, 0) != 1 ||
        X509_set_subject_name(cert.get(), subject.get()) != 1 || X509_set_issuer_name(cert.get(), subject.get()) != 1) {
        fail("subject");
    }
    if (X509_set_pubkey(cert.get(), key.get()) != 1) fail("public key");

    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
    add_extension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE");
    add_extension(cert.get(), &ctx, NID_key_usage, "critical,digitalSignature");
    add_extension(cert.get(), &ctx, NID_ext_key_usage, "serverAuth,clientAuth");
    add_extension(cert.get(), &ctx, NID_subject_key_identifier, "hash");
    add_subject_alt_names(cert.get(), name, ip_addresses);

    if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) fail("sign");

    BioPtr cert_out(BIO_new(BIO_s_mem()));
    BioPtr key_out(BIO_new(BIO_s_mem()));
    if (!cert_out || !key_out || PEM_write_bio_X509(cert_out.get(), cert.get()) != 1 ||
        PEM_write_bio_PrivateKey(key_out.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        fail("PEM encoding");
    }
    return {bio_contents(cert_out.get()), bio_contents(key_out.get())};
}

std::string fingerprint(std::string_view certificate_pem) {
    X509Ptr cert = parse_certificate(certificate_pem);
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (X509_digest(cert.get(), EVP_sha256(), digest.data(), &size) != 1) fail_parse("cannot digest");
    return to_hex(digest.data(), size);
}

std::string short_fingerprint(std::string_view full_fingerprint) {
    return std::string(full_fingerprint.substr(0, 12));
}

CertificateInfo inspect_certificate(std::string_view certificate_pem) {
    X509Ptr cert = parse_certificate(certificate_pem);
    CertificateInfo info;

    const X509_NAME* subject = X509_get_subject_name(cert.get());
    int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
    if (index >= 0) info.common_name = asn1_to_utf8(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index)));

    GeneralNamesPtr names(
        static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert.get(), NID_subject_alt_name, nullptr, nullptr)));
    for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
        const GENERAL_NAME* entry = sk_GENERAL_NAME_value(names.get(), i);
        if (entry->type == GEN_DNS) info.dns_names.push_back(asn1_to_utf8(entry->d.dNSName));
        if (entry->type == GEN_IPADD) info.ip_addresses.push_back(ip_to_text(entry->d.iPAddress));
    }

    BignumPtr serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert.get()), nullptr));
    if (!serial) fail_parse("bad serial");
    char* hex = BN_bn2hex(serial.get());
    if (!hex) fail_parse("bad serial");
    info.serial_hex = hex;
    OPENSSL_free(hex);
    for (char& c : info.serial_hex) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));

    info.not_before = to_time_point(X509_get0_notBefore(cert.get()));
    info.not_after = to_time_point(X509_get0_notAfter(cert.get()));
    return info;
}

bool key_matches_certificate(std::string_view certificate_pem, std::string_view key_pem) {
    BioPtr cert_bio(BIO_new_mem_buf(certificate_pem.data(), static_cast<int>(certificate_pem.size())));
    BioPtr key_bio(BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())));
    if (!cert_bio || !key_bio) return false;
    X509Ptr cert(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr));
    EvpPkeyPtr key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
    bool matches = cert && key && X509_check_private_key(cert.get(), key.get()) == 1;
    openssl_errors();  // drop whatever the failed parse left in the queue
    return matches;
}

}  // namespace microcloud::host::trust
