// plugins/ovn/ovn_pki.cpp - CA, member certificates and private files for OVN's TLS.
#include "ovn_pki.hpp"

#include <microcloud/sdk/programs.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace microcloud::plugins::ovn {

namespace fs = std::filesystem;

namespace {

constexpr std::chrono::seconds kOpensslTimeout{30};

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    return in ? std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()) : std::string();
}

// A random positive 63-bit serial number in hex, so that two certificates never share one.
std::string random_serial() {
    std::random_device device;
    const std::uint64_t value = ((std::uint64_t(device()) << 32) | device()) & 0x7fffffffffffffffULL;
    char text[32];
    std::snprintf(text, sizeof text, "0x%016llx", static_cast<unsigned long long>(value | 1));
    return text;
}

sdk::CommandResult openssl(const sdk::Context& ctx, const std::vector<std::string>& argv, const std::string& what,
                           const std::string& stdin_data = {}) {
    sdk::CommandOptions options;
    options.stdin_data = stdin_data;
    options.timeout = kOpensslTimeout;
    sdk::CommandResult result = ctx.run(argv, options);
    if (!result.ok())
        throw sdk::Error("ovn_pki_failed", "OVN: could not " + what + ": openssl " + sdk::programs::failure_text(result));
    return result;
}

// Makes `dir` with mode 0700 when missing; true when it made it.
bool make_private_dir(const std::string& dir) {
    if (fs::is_directory(dir)) return false;
    fs::create_directories(dir);
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace);
    return true;
}

}  // namespace

void write_private_file(const std::string& path, const std::string& text) {
    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        if (!out) throw sdk::Error("ovn_pki_failed", "OVN: cannot write " + temporary);
        fs::permissions(temporary, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
        out << text;
        if (!out.flush()) throw sdk::Error("ovn_pki_failed", "OVN: cannot write " + temporary);
    }
    fs::rename(temporary, path);
}

std::vector<std::string> ca_argv(const std::string& dir) {
    return {"openssl", "req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", dir + "/ca.key", "-out", dir + "/ca.crt", "-days", "3650", "-subj", "/CN=MicroCloud OVN CA"};
}

std::vector<std::string> request_argv(const std::string& dir, const std::string& prefix, const std::string& common_name) {
    return {"openssl", "req",    "-new",  "-newkey", "ec",  "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes",  "-keyout", dir + "/" + prefix + ".key", "-subj", "/CN=" + common_name};
}

std::vector<std::string> sign_argv(const std::string& dir, const std::string& prefix, const std::string& serial) {
    return {"openssl",  "x509",         "-req",   "-CA",         dir + "/ca.crt", "-CAkey",
            dir + "/ca.key", "-set_serial", serial, "-days", "3650", "-out", dir + "/" + prefix + ".crt"};
}

std::vector<std::string> ensure_ca(const sdk::Context& ctx, const std::string& dir) {
    const bool made_dir = make_private_dir(dir);
    if (fs::exists(dir + "/ca.crt") && fs::exists(dir + "/ca.key")) return made_dir ? std::vector{dir} : std::vector<std::string>{};
    openssl(ctx, ca_argv(dir), "create OVN's certificate authority in " + dir);
    fs::permissions(dir + "/ca.key", fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
    return made_dir ? std::vector{dir} : std::vector{dir + "/ca.crt", dir + "/ca.key"};
}

std::vector<std::string> install_ca(const std::string& dir, const std::string& ca_cert, const std::string& ca_key) {
    if (ca_cert.empty() || ca_key.empty())
        throw sdk::Error("invalid_token", "the OVN join token carries no certificate authority (ca_cert, ca_key)");
    const bool made_dir = make_private_dir(dir);
    if (slurp(dir + "/ca.crt") == ca_cert && slurp(dir + "/ca.key") == ca_key)
        return made_dir ? std::vector{dir} : std::vector<std::string>{};
    std::vector<std::string> created;
    for (const char* name : {"ca.crt", "ca.key"})
        if (!fs::exists(dir + "/" + name)) created.push_back(dir + "/" + name);
    write_private_file(dir + "/ca.key", ca_key);
    write_private_file(dir + "/ca.crt", ca_cert);
    return made_dir ? std::vector{dir} : created;
}

std::vector<std::string> ensure_certificate(const sdk::Context& ctx, const std::string& dir, const std::string& prefix,
                                            const std::string& common_name) {
    const std::string cert = dir + "/" + prefix + ".crt";
    const std::string key = dir + "/" + prefix + ".key";
    if (fs::exists(cert) && fs::exists(key)) {
        sdk::CommandOptions options;
        options.timeout = kOpensslTimeout;
        if (ctx.run({"openssl", "verify", "-CAfile", dir + "/ca.crt", cert}, options).ok()) return {};
    }
    std::vector<std::string> created;
    for (const std::string& path : {cert, key})
        if (!fs::exists(path)) created.push_back(path);
    const sdk::CommandResult request =
        openssl(ctx, request_argv(dir, prefix, common_name), "create a key for " + common_name);
    openssl(ctx, sign_argv(dir, prefix, random_serial()), "sign the certificate of " + common_name, request.out);
    fs::permissions(key, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
    return created;
}

}  // namespace microcloud::plugins::ovn
