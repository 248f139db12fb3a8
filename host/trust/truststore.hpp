// host/trust/truststore.hpp - the certificates of trusted peers: persistent (one file per peer in a
// directory) for the cluster, or in memory for a running join session. Thread-safe.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

namespace microcloud::host::trust {

// One trusted peer. `fingerprint` is derived from `certificate_pem` (never read from disk).
struct TrustedPeer {
    std::string name;
    std::string address;  // "host:port" or an IP, as the caller stores it
    std::string role;     // free text such as "voter", "spare", "pending"; may be empty
    std::string certificate_pem;
    std::string fingerprint;
};

class Truststore {
public:
    // An in-memory truststore (a join session's temporary one): nothing touches the disk.
    Truststore();

    // A truststore kept in `dir` (created if missing): `<name>.yaml` per peer with keys name, address,
    // role, certificate. `<name>.json` files with the same keys are read too. Loads what is there;
    // throws Error("truststore_invalid") naming the file that cannot be read.
    explicit Truststore(std::filesystem::path dir);

    Truststore(const Truststore&) = delete;
    Truststore& operator=(const Truststore&) = delete;

    // Adds a peer (its fingerprint is computed here) and, for a persistent store, writes `<name>.yaml`
    // atomically. Throws Error("invalid_peer_name") unless the name is 1-63 of [A-Za-z0-9._-] not starting
    // with '.' or '-', Error("invalid_certificate"), Error("peer_exists") for a name already present,
    // Error("fingerprint_exists", "Fingerprint already exists") for a certificate already trusted.
    TrustedPeer add(TrustedPeer peer);

    // Removes the peer and its file(s); false when there was no such peer.
    bool remove(const std::string& name);

    // Every peer, ordered by name.
    std::vector<TrustedPeer> list() const;

    std::optional<TrustedPeer> find_by_name(const std::string& name) const;
    std::optional<TrustedPeer> find_by_fingerprint(const std::string& fingerprint) const;

    // The trusted entry whose certificate is `certificate_pem` (same fingerprint), or nothing; nothing also
    // for text that is not a certificate.
    std::optional<TrustedPeer> verify_peer(const std::string& certificate_pem) const;

    // Re-reads the directory (no-op in memory), replacing what is held.
    void reload();

    bool persistent() const { return dir_.has_value(); }
    std::size_t size() const;

private:
    std::map<std::string, TrustedPeer> load_directory() const;

    std::optional<std::filesystem::path> dir_;
    mutable std::shared_mutex mutex_;
    std::map<std::string, TrustedPeer> peers_;  // by name
};

}  // namespace microcloud::host::trust
