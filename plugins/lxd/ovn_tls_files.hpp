// plugins/lxd/ovn_tls_files.hpp - how LXD gets the TLS files for OVN's ssl: databases. LXD with
// the `ovn_ssl_config` API extension takes them as server keys (network.ovn.ca_cert, client_cert,
// client_key); LXD 5.0 without it reads /etc/ovn/ovn-central.crt, cert_host and key_host, which
// the LXD plugin then writes on every member (and takes back on rollback).
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <map>
#include <optional>
#include <string>

namespace microcloud::plugins::lxd {

/// The API extension that gives LXD the network.ovn.* TLS server keys.
inline constexpr const char* kOvnSslExtension = "ovn_ssl_config";

/// Where LXD 5.0 reads OVN's TLS files.
inline constexpr const char* kOvnTlsDir = "/etc/ovn";

/// Whether LXD's /1.0 answer lists `extension` in api_extensions.
bool has_extension(const sdk::Json& server, const std::string& extension);

/// The files LXD 5.0 reads (file name -> content) from what the OVN provider published
/// ({ca_cert, client_cert, client_key}); empty when it published no TLS material.
std::map<std::string, std::string> ovn_tls_files(const sdk::Json& published_ovn);

/// What writing the files replaced: path -> its previous content (nullopt: it did not exist).
using ReplacedFiles = std::map<std::string, std::optional<std::string>>;

/// Writes `files` into `dir` (keys 0600), noting in `replaced` what each one replaced the first
/// time it is written. Error("lxd_ovn_tls") naming the file when one cannot be written.
void write_ovn_tls_files(const std::string& dir, const std::map<std::string, std::string>& files,
                         ReplacedFiles& replaced);

/// Puts back what `replaced` lists (removes files that did not exist). Returns the paths restored.
sdk::Json restore_files(const ReplacedFiles& replaced);

}  // namespace microcloud::plugins::lxd
