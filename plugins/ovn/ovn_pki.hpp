// plugins/ovn/ovn_pki.hpp - the TLS material of OVN in a MicroCloud: a CA made on the first
// member, handed to joiners inside MicroCloud's join token, and a certificate per member (and one
// for LXD as a client), all made with openssl(1) through the host. Keys are 0600 in a 0700 dir.
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <string>
#include <vector>

namespace microcloud::plugins::ovn {

/// Writes `text` to `path` readable by root only (0600), replacing it atomically.
void write_private_file(const std::string& path, const std::string& text);

/// The openssl argv that makes a self-signed CA (EC P-256, 10 years) at `dir`/ca.crt + ca.key.
std::vector<std::string> ca_argv(const std::string& dir);

/// The openssl argvs that make a key + request for `common_name` (printing the request), then
/// sign a request read on stdin with the CA in `dir` into `dir`/<prefix>.crt with `serial`.
std::vector<std::string> request_argv(const std::string& dir, const std::string& prefix, const std::string& common_name);
std::vector<std::string> sign_argv(const std::string& dir, const std::string& prefix, const std::string& serial);

/// Makes `dir` (0700) and the CA in it unless they exist. Returns what it created (the directory
/// when it made it, else the CA files), for a rollback.
std::vector<std::string> ensure_ca(const sdk::Context& ctx, const std::string& dir);

/// Writes the CA a joiner received unless the same one is there. Returns what it created.
/// Error("invalid_token") when either PEM is missing.
std::vector<std::string> install_ca(const std::string& dir, const std::string& ca_cert, const std::string& ca_key);

/// Makes `dir`/<prefix>.key + .crt for `common_name`, signed by the CA in `dir`, unless a
/// certificate there already verifies against that CA. Returns what it created.
std::vector<std::string> ensure_certificate(const sdk::Context& ctx, const std::string& dir, const std::string& prefix,
                                            const std::string& common_name);

}  // namespace microcloud::plugins::ovn
