// host/formation/preseed.hpp - the preseed file (upstream MicroCloud's YAML format): its model,
// parsing with every key checked, and the upstream validation rules with upstream's messages.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace microcloud::host::formation {

struct PreseedDisk {
    std::string path{};
    bool wipe = false;
    bool encrypt = false;  // ceph disks only
};

struct PreseedSystem {
    std::string name{};
    std::string address{};
    std::string ovn_uplink_interface{};
    std::string ovn_underlay_ip{};
    std::optional<PreseedDisk> local_disk{};
    std::vector<PreseedDisk> ceph_disks{};
};

// storage.local[] / storage.ceph[]: disks picked by a filter expression.
struct DiskFilter {
    std::string find{};
    long find_min = 0;
    long find_max = 0;
    bool wipe = false;
    bool encrypt = false;
};

struct Preseed {
    std::string initiator{};
    std::string initiator_address{};
    std::string lookup_subnet{};
    std::chrono::seconds lookup_timeout{60};
    std::string session_passphrase{};
    std::chrono::seconds session_timeout{600};
    std::vector<PreseedSystem> systems{};
    struct {
        std::string ipv4_gateway{};
        std::string ipv4_range{};
        std::string ipv6_gateway{};
        std::string dns_servers{};
    } ovn{};
    struct {
        bool cephfs = false;
        std::string internal_network{};
        std::string public_network{};
    } ceph{};
    std::vector<DiskFilter> local_filters{};
    std::vector<DiskFilter> ceph_filters{};
    nlohmann::json document{};  // the whole file as JSON, for the plugins' validate
};

// Parses the YAML text. Every key is checked: an unknown key or a value of the wrong type is
// Error("invalid_preseed") naming the key path (e.g. systems[1].storage.local.wipe), the value and
// what is accepted. Durations take seconds (a number) or a Go-style duration ("90s", "10m", "1h").
// `plugin_sections`: further top-level keys that loaded plugins own (their manifest's
// config_section); their values are left for the plugin's validate.
Preseed parse_preseed(const std::string& yaml_text, const std::set<std::string>& plugin_sections = {});

// Where the preseed is applied: this machine's name and addresses, and whether its MicroCloud is
// already part of a cluster.
struct LocalContext {
    std::string name{};
    std::vector<std::string> addresses{};
    bool clustered = false;
};

enum class PreseedRole { initiator_bootstrap, initiator_add, joiner };

// Applies upstream's rules; throws Error("invalid_preseed", <upstream message>) on the first
// broken one (details: the field). Returns what this machine does with the file.
PreseedRole validate_preseed(const Preseed& preseed, const LocalContext& local);

}  // namespace microcloud::host::formation
