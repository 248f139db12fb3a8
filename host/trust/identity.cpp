// host/trust/identity.cpp - load-or-create of the member and cluster key pairs under the state directory.
#include "trust/identity.hpp"

#include "common/error.hpp"
#include "trust/atomic_file.hpp"
#include "trust/certificate.hpp"

#include <system_error>

namespace microcloud::host::trust {
namespace {

Identity load_existing(const std::filesystem::path& cert_path, const std::filesystem::path& key_path) {
    if (!std::filesystem::exists(key_path)) {
        throw Error("identity_incomplete",
                    "Certificate " + cert_path.string() + " exists but its key " + key_path.string() + " is missing",
                    {{"certificate", cert_path.string()}, {"key", key_path.string()}});
    }
    Identity identity{read_whole_file(cert_path), read_whole_file(key_path), ""};
    identity.fingerprint = fingerprint(identity.certificate_pem);
    if (!key_matches_certificate(identity.certificate_pem, identity.key_pem)) {
        throw Error("identity_mismatch", "Key " + key_path.string() + " does not belong to " + cert_path.string(),
                    {{"certificate", cert_path.string()}, {"key", key_path.string()}});
    }
    return identity;
}

}  // namespace

Identity load_or_create_identity(const std::filesystem::path& dir, const std::string& stem, const std::string& name,
                                 const std::vector<std::string>& ip_addresses) {
    const std::filesystem::path cert_path = dir / (stem + ".crt");
    const std::filesystem::path key_path = dir / (stem + ".key");
    if (std::filesystem::exists(cert_path)) return load_existing(cert_path, key_path);

    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        throw Error("file_write_failed", "Failed to create directory " + dir.string() + ": " + ec.message(),
                    {{"path", dir.string()}});
    }
    CertificateAndKey created = generate_self_signed(name, ip_addresses);
    write_file_atomically(key_path, created.key_pem, 0600);
    write_file_atomically(cert_path, created.certificate_pem, 0644);
    Identity identity{std::move(created.certificate_pem), std::move(created.key_pem), ""};
    identity.fingerprint = fingerprint(identity.certificate_pem);
    return identity;
}

Identity load_or_create_server_identity(const std::filesystem::path& state_dir, const std::string& member_name,
                                        const std::vector<std::string>& ip_addresses) {
    return load_or_create_identity(state_dir, "server", member_name, ip_addresses);
}

Identity load_or_create_cluster_identity(const std::filesystem::path& state_dir, const std::string& name,
                                         const std::vector<std::string>& ip_addresses) {
    return load_or_create_identity(state_dir, "cluster", name, ip_addresses);
}

}  // namespace microcloud::host::trust
