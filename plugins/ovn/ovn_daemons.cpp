// plugins/ovn/ovn_daemons.cpp - ovn-ctl command lines and cluster/status reading.
#include "ovn_daemons.hpp"

#include <sstream>

namespace microcloud::plugins::ovn {

namespace {

std::string bracketed(const std::string& ip) {
    return ip.find(':') != std::string::npos ? "[" + ip + "]" : ip;
}

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

}  // namespace

PkiFiles pki_files(const std::string& pki_dir) {
    return {pki_dir + "/ca.crt", pki_dir + "/ca.key", pki_dir + "/ovn.crt", pki_dir + "/ovn.key"};
}

const char* schema_name(Database db) {
    return db == Database::northbound ? "OVN_Northbound" : "OVN_Southbound";
}

std::string database_file(const OvnConfig& config, Database db) {
    return config.ovn_dbdir + (db == Database::northbound ? "/ovnnb_db.db" : "/ovnsb_db.db");
}

std::string database_control(const OvnConfig& config, Database db) {
    return config.ovn_rundir + (db == Database::northbound ? "/ovnnb_db.ctl" : "/ovnsb_db.ctl");
}

std::string database_socket(const OvnConfig& config, Database db) {
    return config.ovn_rundir + (db == Database::northbound ? "/ovnnb_db.sock" : "/ovnsb_db.sock");
}

std::map<std::string, std::string> ovn_environment(const OvnConfig& config) {
    return {{"OVN_RUNDIR", config.ovn_rundir},
            {"OVN_DBDIR", config.ovn_dbdir},
            {"OVN_LOGDIR", config.ovn_logdir},
            {"OVS_RUNDIR", config.ovs_rundir}};
}

std::vector<std::string> start_database_argv(const OvnConfig& config, Database db, const std::string& local_ip,
                                             const std::optional<std::string>& join_ip) {
    const std::string d = db == Database::northbound ? "nb" : "sb";
    const int raft_port = db == Database::northbound ? kNorthboundRaftPort : kSouthboundRaftPort;
    const PkiFiles pki = pki_files(config.pki_dir);
    std::vector<std::string> argv{config.ovn_ctl,
                                  "--db-" + d + "-file=" + database_file(config, db),
                                  "--db-" + d + "-cluster-local-addr=" + bracketed(local_ip),
                                  "--db-" + d + "-cluster-local-port=" + std::to_string(raft_port),
                                  "--db-" + d + "-cluster-local-proto=ssl",
                                  "--ovn-" + d + "-db-ssl-key=" + pki.key,
                                  "--ovn-" + d + "-db-ssl-cert=" + pki.cert,
                                  "--ovn-" + d + "-db-ssl-ca-cert=" + pki.ca_cert};
    if (join_ip) {
        argv.push_back("--db-" + d + "-cluster-remote-addr=" + bracketed(*join_ip));
        argv.push_back("--db-" + d + "-cluster-remote-port=" + std::to_string(raft_port));
        argv.push_back("--db-" + d + "-cluster-remote-proto=ssl");
    }
    argv.push_back("start_" + d + "_ovsdb");
    return argv;
}

std::vector<std::string> start_northd_argv(const OvnConfig& config, const std::vector<Central>& centrals) {
    const PkiFiles pki = pki_files(config.pki_dir);
    return {config.ovn_ctl,
            "--ovn-manage-ovsdb=no",
            "--ovn-northd-nb-db=" + ssl_remotes(centrals, kNorthboundPort),
            "--ovn-northd-sb-db=" + ssl_remotes(centrals, kSouthboundPort),
            "--ovn-northd-ssl-key=" + pki.key,
            "--ovn-northd-ssl-cert=" + pki.cert,
            "--ovn-northd-ssl-ca-cert=" + pki.ca_cert,
            "start_northd"};
}

std::vector<std::string> start_controller_argv(const OvnConfig& config) {
    const PkiFiles pki = pki_files(config.pki_dir);
    return {config.ovn_ctl,
            "--ovn-controller-ssl-key=" + pki.key,
            "--ovn-controller-ssl-cert=" + pki.cert,
            "--ovn-controller-ssl-ca-cert=" + pki.ca_cert,
            "start_controller"};
}

std::vector<std::string> stop_argv(const OvnConfig& config, const std::string& what) {
    return {config.ovn_ctl, "stop_" + what};
}

std::map<std::string, std::string> chassis_external_ids(const std::string& member, const std::vector<Central>& centrals,
                                                        const std::string& encap_ip, bool userspace_datapath) {
    std::map<std::string, std::string> ids{{"system-id", member},
                                           {"hostname", member},
                                           {"ovn-remote", ssl_remotes(centrals, kSouthboundPort)},
                                           {"ovn-encap-type", "geneve"},
                                           {"ovn-encap-ip", encap_ip}};
    if (userspace_datapath) ids["ovn-bridge-datapath-type"] = "netdev";
    return ids;
}

std::optional<RaftStatus> parse_raft_status(const std::string& text) {
    RaftStatus out;
    bool seen_status = false, in_servers = false;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (in_servers) {
            // "    0e3c (0e3c at ssl:10.0.0.11:6643) (self) next_index=..." ; the list ends at a blank line
            const auto at = line.find(" at ");
            if (line.rfind("    ", 0) == 0 && at != std::string::npos) {
                const auto end = line.find(')', at);
                out.servers.push_back(line.substr(at + 4, end == std::string::npos ? std::string::npos : end - at - 4));
                continue;
            }
            in_servers = false;
        }
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        const std::string key = line.substr(0, colon);
        const std::string value = trim(line.substr(colon + 1));
        if (key == "Status") {
            out.status = value;
            seen_status = true;
        } else if (key == "Role") {
            out.role = value;
        } else if (key == "Leader") {
            out.leader = value;
        } else if (key == "Servers") {
            in_servers = true;
        }
    }
    if (!seen_status) return std::nullopt;
    return out;
}

}  // namespace microcloud::plugins::ovn
