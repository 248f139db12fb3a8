// plugins/ceph/cluster_files.cpp - reads the Ceph config, keyring and daemon data dirs.
#include "cluster_files.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

namespace microcloud::plugins::ceph {
namespace fs = std::filesystem;

namespace {

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

std::string trim(std::string_view s) {
    auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    return std::string(s.substr(first, s.find_last_not_of(" \t") - first + 1));
}

std::optional<std::string> read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) return std::nullopt;
    return text;
}

std::vector<std::string> directory_entries(const fs::path& dir) {
    std::vector<std::string> names;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_directory(ec)) names.push_back(it->path().filename().string());
    return names;
}

}  // namespace

std::vector<std::string> keyring_candidates(const CephConfig& config, const std::optional<CephConf>& conf) {
    std::optional<std::string> configured;
    if (conf)
        for (const char* section : {"client.admin", "client", "global"})
            if ((configured = conf->get(section, "keyring"))) break;
    std::vector<std::string> out;
    if (configured) {
        std::string list = replace_all(replace_all(*configured, "$cluster", config.cluster), "$name", "client.admin");
        std::istringstream items(list);
        for (std::string item; std::getline(items, item, ',');)
            if (auto path = trim(item); !path.empty()) out.push_back(path);
        if (!out.empty()) return out;
    }
    const fs::path dir(config.conf_dir);
    const std::string names[] = {config.cluster + ".client.admin.keyring", config.cluster + ".keyring", "keyring",
                                 "keyring.bin"};
    for (const auto& name : names) out.push_back((dir / name).string());
    return out;
}

std::vector<std::string> daemon_ids(const std::vector<std::string>& entries, const std::string& cluster) {
    const std::string prefix = cluster + "-";
    std::vector<std::string> ids;
    for (const auto& name : entries)
        if (name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0)
            ids.push_back(name.substr(prefix.size()));
    std::sort(ids.begin(), ids.end());
    return ids;
}

std::string monitor_addresses(const CephConf& conf) {
    if (auto hosts = conf.get("global", "mon_host"); hosts && !hosts->empty()) return *hosts;
    std::string joined;
    for (const auto& [name, keys] : conf.sections) {
        if (name.rfind("mon.", 0) != 0) continue;
        if (auto addr = conf.get(name, "mon_addr"); addr && !addr->empty())
            joined += (joined.empty() ? "" : ",") + *addr;
    }
    return joined;
}

ClusterFiles read_cluster_files(const CephConfig& config) {
    ClusterFiles files;
    files.conf_path = (fs::path(config.conf_dir) / (config.cluster + ".conf")).string();
    std::error_code ec;
    files.conf_exists = fs::is_regular_file(files.conf_path, ec);
    if (files.conf_exists) {
        if (auto text = read_text(files.conf_path))
            files.conf = parse_ceph_conf(*text);
        else
            files.conf_read_error = "cannot read " + files.conf_path;
    }
    files.keyring_candidates = keyring_candidates(config, files.conf);
    for (const auto& candidate : files.keyring_candidates)
        if (fs::is_regular_file(candidate, ec)) {
            files.keyring_path = candidate;
            break;
        }
    for (const char* kind : {"mon", "mgr", "osd"})
        files.daemon_ids[kind] = daemon_ids(directory_entries(fs::path(config.data_dir) / kind), config.cluster);
    return files;
}

}  // namespace microcloud::plugins::ceph
