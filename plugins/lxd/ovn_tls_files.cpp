// plugins/lxd/ovn_tls_files.cpp - the OVN TLS files LXD 5.0 reads from /etc/ovn.
#include "ovn_tls_files.hpp"

#include <filesystem>
#include <fstream>

namespace microcloud::plugins::lxd {

namespace fs = std::filesystem;
using sdk::Json;

namespace {

std::optional<std::string> read_if_exists(const std::string& path) {
    std::ifstream in(path);
    if (!in) return std::nullopt;
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_file(const std::string& path, const std::string& content, bool secret) {
    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        if (!out) throw sdk::Error("lxd_ovn_tls", "cannot write " + temporary + " (LXD reads OVN's TLS files there)");
        const auto mode = secret ? fs::perms::owner_read | fs::perms::owner_write
                                 : fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                                       fs::perms::others_read;
        fs::permissions(temporary, mode, fs::perm_options::replace);
        out << content;
        if (!out.flush()) throw sdk::Error("lxd_ovn_tls", "cannot write " + temporary);
    }
    fs::rename(temporary, path);
}

}  // namespace

bool has_extension(const Json& server, const std::string& extension) {
    const Json extensions = server.value("api_extensions", Json::array());
    return std::find(extensions.begin(), extensions.end(), Json(extension)) != extensions.end();
}

std::map<std::string, std::string> ovn_tls_files(const Json& published_ovn) {
    if (!published_ovn.is_object()) return {};
    const std::string ca = published_ovn.value("ca_cert", "");
    const std::string cert = published_ovn.value("client_cert", "");
    const std::string key = published_ovn.value("client_key", "");
    if (ca.empty() || cert.empty() || key.empty()) return {};
    return {{"ovn-central.crt", ca}, {"cert_host", cert}, {"key_host", key}};
}

void write_ovn_tls_files(const std::string& dir, const std::map<std::string, std::string>& files,
                         ReplacedFiles& replaced) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    for (const auto& [name, content] : files) {
        const std::string path = dir + "/" + name;
        if (!replaced.contains(path)) replaced[path] = read_if_exists(path);
        write_file(path, content, name == "key_host");
    }
}

Json restore_files(const ReplacedFiles& replaced) {
    Json restored = Json::array();
    for (const auto& [path, before] : replaced) {
        std::error_code ec;
        if (before)
            write_file(path, *before, path.ends_with("key_host"));
        else
            fs::remove(path, ec);
        restored.push_back(path);
    }
    return restored;
}

}  // namespace microcloud::plugins::lxd
