// plugins/ceph/ceph_layout.cpp - a member's Ceph paths and the ceph.conf text.
#include "ceph_layout.hpp"

#include <algorithm>
#include <sstream>

namespace microcloud::plugins::ceph {

std::string Layout::daemon_dir(const std::string& kind, const std::string& id) const {
    return kind_dir(kind) + "/" + cluster + "-" + id;
}

std::string Layout::pid_file(const std::string& kind, const std::string& id) const {
    return run_dir + "/" + cluster + "-" + kind + "." + id + ".pid";
}

std::string Layout::kind_dir(const std::string& kind) const {
    return data_dir + "/" + kind;
}

Layout layout_of(const CephConfig& config) {
    Layout layout;
    layout.conf = config.conf_dir + "/" + config.cluster + ".conf";
    layout.admin_keyring = config.conf_dir + "/" + config.cluster + ".client.admin.keyring";
    layout.bootstrap_osd_keyring = config.conf_dir + "/" + config.cluster + ".client.bootstrap-osd.keyring";
    layout.marker = config.conf_dir + "/microcloud.json";
    layout.cluster = config.cluster;
    layout.data_dir = config.data_dir;
    layout.run_dir = config.run_dir;
    return layout;
}

std::string mon_host_value(const std::vector<std::string>& addresses) {
    std::string out;
    for (const auto& address : addresses)
        out += (out.empty() ? "" : ",") + (address.find(':') != std::string::npos ? "[" + address + "]" : address);
    return out;
}

std::uint64_t osd_memory_target(std::uint64_t mem_total, std::size_t osds) {
    constexpr std::uint64_t kMinimum = 896ull << 20;
    constexpr std::uint64_t kDefault = 4ull << 30;
    const std::uint64_t share = mem_total / 8 / std::max<std::size_t>(osds, 1);
    return std::clamp(share, kMinimum, kDefault);
}

std::string render_conf(const CephConfig& config, const ConfSettings& s) {
    const bool ipv6 = s.public_network.find(':') != std::string::npos;
    std::ostringstream out;
    const auto daemon_section = [&](const char* kind) {
        out << "\n[" << kind << "]\n"
            << "admin_socket = " << config.run_dir << "/$cluster-$name.asok\n"
            << "pid_file = " << config.run_dir << "/$cluster-$name.pid\n";
    };
    out << "# " << config.conf_dir << "/" << config.cluster << ".conf - written by MicroCloud for member " << s.member
        << "\n[global]\n"
        << "fsid = " << s.fsid << "\n"
        << "mon_host = " << mon_host_value(s.mon_hosts) << "\n"
        << "public_network = " << s.public_network << "\n"
        << "cluster_network = " << s.cluster_network << "\n"
        << "auth_cluster_required = cephx\nauth_service_required = cephx\nauth_client_required = cephx\n"
        << "ms_bind_ipv4 = " << (ipv6 ? "false" : "true") << "\n"
        << "ms_bind_ipv6 = " << (ipv6 ? "true" : "false") << "\n"
        << "run_dir = " << config.run_dir << "\n"
        << "crash_dir = " << config.data_dir << "/crash\n"
        << "log_file = " << config.log_dir << "/$cluster-$name.log\n"
        << "mon_cluster_log_file = " << config.log_dir << "/$cluster.$channel.log\n"
        << "mon_data = " << config.data_dir << "/mon/$cluster-$id\n"
        << "mgr_data = " << config.data_dir << "/mgr/$cluster-$id\n"
        << "osd_data = " << config.data_dir << "/osd/$cluster-$id\n"
        << "mds_data = " << config.data_dir << "/mds/$cluster-$id\n";
    daemon_section("mon");
    daemon_section("mgr");
    daemon_section("osd");
    out << "osd_objectstore = bluestore\n"
        << "crush_location = root=default host=" << s.member << "\n";
    if (s.osd_memory_target != 0) out << "osd_memory_target = " << s.osd_memory_target << "\n";
    daemon_section("mds");
    out << "\n[client]\nkeyring = " << config.conf_dir << "/$cluster.$name.keyring\n";
    return out.str();
}

}  // namespace microcloud::plugins::ceph
