// host/trust/identity.hpp - a member's (server.*) and the cluster's (cluster.*) key pair and certificate,
// loaded from or created in the state directory.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace microcloud::host::trust {

// One key pair with its self-signed certificate and the certificate's SHA-256 fingerprint.
struct Identity {
    std::string certificate_pem;
    std::string key_pem;
    std::string fingerprint;  // 64 lowercase hex digits

    std::string short_fingerprint() const { return fingerprint.substr(0, 12); }
};

// Loads `<dir>/<stem>.crt` and `<dir>/<stem>.key`, or creates them (ECDSA P-256, see certificate.hpp) when
// the certificate is missing. The key is written first with mode 0600, then the certificate (mode 0644),
// each atomically, so a crash leaves either a complete pair or no certificate (which the next call
// replaces). An existing pair is returned unchanged (name and addresses are then not re-checked).
// Throws Error("identity_incomplete") for a certificate without its key, Error("identity_mismatch") when
// the key does not belong to the certificate, Error("file_*") on I/O failures. Not meant for concurrent
// callers on one directory: the daemon calls it once at start.
Identity load_or_create_identity(const std::filesystem::path& dir, const std::string& stem, const std::string& name,
                                 const std::vector<std::string>& ip_addresses);

// The member's own identity: server.crt / server.key in the state directory (CN = member name).
Identity load_or_create_server_identity(const std::filesystem::path& state_dir, const std::string& member_name,
                                        const std::vector<std::string>& ip_addresses);

// The cluster identity: cluster.crt / cluster.key in the state directory.
Identity load_or_create_cluster_identity(const std::filesystem::path& state_dir, const std::string& name,
                                         const std::vector<std::string>& ip_addresses);

}  // namespace microcloud::host::trust
