// plugins/ceph/ceph_commands.cpp - argv builders for Ceph's tools.
#include "ceph_commands.hpp"

namespace microcloud::plugins::ceph {
namespace {

// Seconds a client waits for a monitor before it gives up.
constexpr const char* kConnectTimeout = "15";

Argv with(Argv head, const Argv& tail) {
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
}

}  // namespace

Argv ceph_cli(const CephConfig& config, const Argv& args) {
    return with({"ceph", "--cluster", config.cluster, "--conf", layout_of(config).conf, "--connect-timeout",
                 kConnectTimeout},
                args);
}

Argv ceph_cli_bootstrap_osd(const CephConfig& config, const Argv& args) {
    return with({"ceph", "--cluster", config.cluster, "--conf", layout_of(config).conf, "--connect-timeout",
                 kConnectTimeout, "--name", "client.bootstrap-osd"},
                args);
}

Argv authtool_create(const std::string& path, const std::string& entity, const Argv& caps) {
    Argv argv{"ceph-authtool", "--create-keyring", path, "--gen-key", "-n", entity};
    for (std::size_t i = 0; i + 1 < caps.size(); i += 2) argv.insert(argv.end(), {"--cap", caps[i], caps[i + 1]});
    return argv;
}

Argv authtool_import(const std::string& path, const std::string& other) {
    return {"ceph-authtool", path, "--import-keyring", other};
}

Argv authtool_with_key(const std::string& path, const std::string& entity, const std::string& secret) {
    return {"ceph-authtool", "--create-keyring", path, "--name", entity, "--add-key", secret};
}

std::string address_argument(const std::string& address) {
    return address.find(':') != std::string::npos ? "[" + address + "]" : address;
}

Argv monmap_create(const std::string& path, const std::string& fsid, const std::string& name,
                   const std::string& address, const std::string& release) {
    const std::string ip = address_argument(address);
    Argv argv{"monmaptool", "--create", "--fsid", fsid, "--addv", name, "[v2:" + ip + ":3300,v1:" + ip + ":6789]"};
    if (!release.empty()) argv.insert(argv.end(), {"--set-min-mon-release", release});
    argv.insert(argv.end(), {"--enable-all-features", path});
    return argv;
}

Argv mon_mkfs(const CephConfig& config, const std::string& name, const std::string& monmap,
              const std::string& keyring) {
    return {"ceph-mon", "--cluster", config.cluster, "--conf", layout_of(config).conf, "--mkfs", "-i", name,
            "--monmap", monmap, "--keyring", keyring};
}

Argv osd_mkfs(const CephConfig& config, const std::string& id, const std::string& uuid) {
    return {"ceph-osd", "--cluster", config.cluster, "--conf", layout_of(config).conf, "-i", id,
            "--mkfs", "--osd-uuid", uuid, "--osd-objectstore", "bluestore"};
}

Argv daemon_start(const CephConfig& config, bool systemd, const std::string& kind, const std::string& id,
                  const Argv& extra) {
    if (systemd) return {"systemctl", "start", "ceph-" + kind + "@" + id + ".service"};
    return with({"ceph-" + kind, "--cluster", config.cluster, "--conf", layout_of(config).conf, "-i", id}, extra);
}

Argv daemon_stop_systemd(const std::string& kind, const std::string& id) {
    return {"systemctl", "stop", "ceph-" + kind + "@" + id + ".service"};
}

Argv zap_head(const std::string& device) {
    return {"dd", "if=/dev/zero", "of=" + device, "bs=1M", "count=10", "conv=fsync,notrunc", "status=none"};
}

Argv wipe_signatures(const std::string& device) {
    return {"wipefs", "--all", "--force", device};
}

}  // namespace microcloud::plugins::ceph
