// host/trust/truststore.cpp - trusted peer certificates in memory and as one YAML file per peer.
#include "trust/truststore.hpp"

#include "common/error.hpp"
#include "trust/atomic_file.hpp"
#include "trust/certificate.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <mutex>
#include <system_error>

namespace microcloud::host::trust {
namespace {

bool valid_peer_name(const std::string& name) {
    if (name.empty() || name.size() > 63 || name.front() == '.' || name.front() == '-') return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
               c == '-';
    });
}

std::string to_yaml(const TrustedPeer& peer) {
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value << peer.name;
    out << YAML::Key << "address" << YAML::Value << peer.address;
    out << YAML::Key << "role" << YAML::Value << peer.role;
    out << YAML::Key << "certificate" << YAML::Value << YAML::Literal << peer.certificate_pem;
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

[[noreturn]] void fail_file(const std::filesystem::path& file, const std::string& why) {
    throw Error("truststore_invalid", "Invalid truststore entry " + file.string() + ": " + why,
                {{"path", file.string()}});
}

TrustedPeer peer_from_file(const std::filesystem::path& file) {
    YAML::Node node;
    try {
        node = YAML::Load(read_whole_file(file));
    } catch (const YAML::Exception& e) {
        fail_file(file, e.what());
    }
    if (!node.IsMap()) fail_file(file, "not a mapping");
    auto text = [&](const char* key, bool required) -> std::string {
        if (!node[key]) {
            if (required) fail_file(file, std::string("missing \"") + key + "\"");
            return "";
        }
        try {
            return node[key].as<std::string>();
        } catch (const YAML::Exception&) {
            fail_file(file, std::string("\"") + key + "\" is not a string");
        }
    };
    TrustedPeer peer{text("name", true), text("address", false), text("role", false), text("certificate", true), ""};
    if (peer.name != file.stem().string()) fail_file(file, "name \"" + peer.name + "\" does not match the file name");
    try {
        peer.fingerprint = fingerprint(peer.certificate_pem);
    } catch (const Error& e) {
        fail_file(file, e.what());
    }
    return peer;
}

}  // namespace

Truststore::Truststore() = default;

Truststore::Truststore(std::filesystem::path dir) : dir_(std::move(dir)) {
    std::error_code ec;
    std::filesystem::create_directories(*dir_, ec);
    if (ec) {
        throw Error("truststore_invalid",
                    "Failed to create truststore directory " + dir_->string() + ": " + ec.message(),
                    {{"path", dir_->string()}});
    }
    peers_ = load_directory();
}

std::map<std::string, TrustedPeer> Truststore::load_directory() const {
    std::map<std::string, TrustedPeer> peers;
    if (!dir_) return peers;
    for (const auto& entry : std::filesystem::directory_iterator(*dir_)) {
        const std::filesystem::path& file = entry.path();
        std::string ext = file.extension().string();
        if (!entry.is_regular_file() || file.filename().string().front() == '.' || (ext != ".yaml" && ext != ".json")) {
            continue;
        }
        TrustedPeer peer = peer_from_file(file);
        if (peers.count(peer.name)) fail_file(file, "peer \"" + peer.name + "\" is listed twice");
        peers.emplace(peer.name, std::move(peer));
    }
    return peers;
}

TrustedPeer Truststore::add(TrustedPeer peer) {
    if (!valid_peer_name(peer.name)) {
        throw Error("invalid_peer_name",
                    "Invalid peer name \"" + peer.name +
                        "\" (want 1-63 characters of letters, digits, '.', '_', '-', not starting with '.' or '-')",
                    {{"name", peer.name}});
    }
    peer.fingerprint = fingerprint(peer.certificate_pem);

    std::unique_lock lock(mutex_);
    if (peers_.count(peer.name)) {
        throw Error("peer_exists", "Peer \"" + peer.name + "\" is already trusted", {{"name", peer.name}});
    }
    for (const auto& [name, existing] : peers_) {
        if (existing.fingerprint == peer.fingerprint) {
            throw Error("fingerprint_exists", "Fingerprint already exists",
                        {{"name", peer.name}, {"existing_name", name}, {"fingerprint", peer.fingerprint}});
        }
    }
    if (dir_) write_file_atomically(*dir_ / (peer.name + ".yaml"), to_yaml(peer), 0644);
    peers_.emplace(peer.name, peer);
    return peer;
}

bool Truststore::remove(const std::string& name) {
    std::unique_lock lock(mutex_);
    auto it = peers_.find(name);
    if (it == peers_.end()) return false;
    if (dir_) {
        for (const char* ext : {".yaml", ".json"}) {
            std::error_code ec;
            std::filesystem::remove(*dir_ / (name + ext), ec);
            if (ec) {
                throw Error("file_write_failed",
                            "Failed to remove truststore entry " + name + ext + ": " + ec.message(), {{"name", name}});
            }
        }
    }
    peers_.erase(it);
    return true;
}

std::vector<TrustedPeer> Truststore::list() const {
    std::shared_lock lock(mutex_);
    std::vector<TrustedPeer> out;
    out.reserve(peers_.size());
    for (const auto& [name, peer] : peers_) out.push_back(peer);
    return out;
}

std::optional<TrustedPeer> Truststore::find_by_name(const std::string& name) const {
    std::shared_lock lock(mutex_);
    auto it = peers_.find(name);
    if (it == peers_.end()) return std::nullopt;
    return it->second;
}

std::optional<TrustedPeer> Truststore::find_by_fingerprint(const std::string& wanted) const {
    std::shared_lock lock(mutex_);
    for (const auto& [name, peer] : peers_) {
        if (peer.fingerprint == wanted) return peer;
    }
    return std::nullopt;
}

std::optional<TrustedPeer> Truststore::verify_peer(const std::string& certificate_pem) const {
    std::string presented;
    try {
        presented = fingerprint(certificate_pem);
    } catch (const Error&) {
        return std::nullopt;
    }
    return find_by_fingerprint(presented);
}

void Truststore::reload() {
    if (!dir_) return;
    std::unique_lock lock(mutex_);
    peers_ = load_directory();
}

std::size_t Truststore::size() const {
    std::shared_lock lock(mutex_);
    return peers_.size();
}

}  // namespace microcloud::host::trust
