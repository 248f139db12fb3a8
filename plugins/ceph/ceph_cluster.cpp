// plugins/ceph/ceph_cluster.cpp - Ceph's cluster steps on one member: bootstrap, join, OSDs, pools,
// undo, removal, status.
#include "ceph_cluster.hpp"

#include "ceph_commands.hpp"
#include "ceph_layout.hpp"
#include "ceph_ops.hpp"
#include "ceph_plan_rules.hpp"
#include "ceph_status.hpp"
#include "ceph_version.hpp"
#include "member_view.hpp"

#include "ceph_conf.hpp"

#include <microcloud/sdk/programs.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>

namespace microcloud::plugins::ceph {

namespace fs = std::filesystem;
using sdk::Json;

namespace {

constexpr std::size_t kMonitors = 3;  // monitors (and mgrs, MDSs) on the first three members
constexpr std::chrono::seconds kQuorumTimeout{90};
constexpr std::chrono::seconds kReadyTimeout{120};
constexpr const char* kRemotePool = "lxd_remote";
constexpr const char* kFsName = "lxd_cephfs";
constexpr const char* kFsMetaPool = "lxd_cephfs_meta";
constexpr const char* kFsDataPool = "lxd_cephfs_data";

std::string member_name(const Json& input) {
    const Json member = input.value("member", Json::object());
    const std::string name = member.is_object() ? member.value("name", "") : "";
    if (name.empty()) throw sdk::Error("invalid_input", "the host did not say which member this is (input \"member\")");
    return name;
}

Json ceph_settings(const Json& input) {
    const Json settings = input.value("preseed", Json::object()).value("ceph", Json::object());
    return settings.is_object() ? settings : Json::object();
}

bool wants_cephfs(const Json& input) {
    return ceph_settings(input).value("cephfs", false);
}

// Replication for `osds` OSDs: min(#OSDs, 3), and the min_size Ceph derives from it.
int replication_for(std::size_t osds) {
    return static_cast<int>(std::clamp<std::size_t>(osds, 1, 3));
}

// The release codename `ceph-mon --version` prints ("pacific"), "" when unknown.
std::string mon_release(const CephOps& ops) {
    const auto result = ops.run({"ceph-mon", "--version"});
    const auto version = parse_ceph_version(result.out + "\n" + result.err);
    return version ? version->codename : "";
}

// What MicroCloud keeps on a member where it formed Ceph (the marker): which daemons run here.
struct Marker {
    std::string fsid, member;
    bool mon = false, mds = false;
    std::vector<MadeOsd> osds;
};

Json to_json(const Marker& m) {
    Json osds = Json::array();
    for (const auto& osd : m.osds) osds.push_back({{"id", osd.id}, {"uuid", osd.uuid}, {"device", osd.device}});
    return {{"fsid", m.fsid}, {"member", m.member}, {"mon", m.mon}, {"mds", m.mds}, {"osds", osds}};
}

std::optional<Marker> read_marker(const Layout& layout) {
    const Json json = Json::parse(read_text(layout.marker), nullptr, false);
    if (json.is_discarded() || !json.is_object()) return std::nullopt;
    Marker m{json.value("fsid", ""), json.value("member", ""), json.value("mon", false), json.value("mds", false), {}};
    for (const auto& osd : json.value("osds", Json::array()))
        m.osds.push_back({osd.value("id", ""), osd.value("uuid", ""), osd.value("device", "")});
    return m;
}

// One member's join, with its changes recorded in `record` as they happen.
class Joiner {
public:
    Joiner(const sdk::Context& ctx, const CephConfig& config, CephRunRecord& record)
        : ctx_(ctx), config_(config), ops_(ctx, config), record_(record), input_(ctx.input()),
          name_(member_name(input_)) {}

    Json run() {
        if (const auto marker = read_marker(ops_.layout())) return answer(*marker);  // formed here already
        const Json facts = ctx_.member_facts();
        addresses_ = global_addresses(facts);
        mem_total_ = mem_total_bytes();
        disks_ = ceph_disks_of(input_, name_);
        Marker marker;
        marker.member = name_;
        if (input_.value("bootstrap", false))
            bootstrap(marker);
        else
            join(marker);
        if (marker.mon) start_mgr_and_mds(marker);
        make_osds(marker);
        ops_.write_file(ops_.layout().marker, to_json(marker).dump(2) + "\n", 0644);
        created(ops_.layout().marker);
        return answer(marker);
    }

private:
    void created(const std::string& path) { record_.created.push_back(path); }

    // Throws at once when the daemon `kind`.`id` this join started has died since (its pid file names
    // a process that is gone), instead of waiting out a timeout for a daemon that cannot answer.
    void check_alive(const std::string& kind, const std::string& id) const {
        const std::string pidfile = ops_.layout().pid_file(kind, id);
        const int pid = std::atoi(read_text(pidfile).c_str());
        if (pid <= 0) return;  // not written yet
        std::error_code ec;
        if (fs::exists("/proc/" + std::to_string(pid), ec) && ops_.running_pid(kind, id) == pid) return;
        throw sdk::Error("ceph_daemon_died", "Ceph: " + kind + "." + id + " on " + name_ + " (pid " +
                                                 std::to_string(pid) + ") stopped running right after its start; see " +
                                                 config_.log_dir);
    }
    void started(const std::string& kind, const std::string& id) { record_.started.push_back(kind + "." + id); }

    void mkdir(const std::string& dir) {
        std::error_code ec;
        if (fs::exists(dir, ec)) return;
        // Record the outermost directory that did not exist, so that an undo removes all of it.
        fs::path top = dir;
        while (top.has_parent_path() && !fs::exists(top.parent_path(), ec)) top = top.parent_path();
        fs::create_directories(dir, ec);
        if (ec) throw sdk::Error("ceph_file_failed", "Ceph: could not create " + dir + ": " + ec.message());
        created(top.string());
    }

    void write(const std::string& path, const std::string& text) {
        std::error_code ec;
        mkdir(fs::path(path).parent_path().string());
        const bool existed = fs::exists(path, ec);
        ops_.write_file(path, text);
        if (!existed) created(path);
    }

    std::string public_address(const std::string& public_network) const {
        const std::string address = address_in(addresses_, public_network);
        if (address.empty())
            throw sdk::Error("ceph_no_address", "Ceph: member " + name_ + " has no address in the public network " +
                                                    public_network);
        return address;
    }

    void write_conf(const std::string& fsid, const std::vector<std::string>& mon_hosts) {
        ConfSettings settings{fsid, mon_hosts, public_network_, cluster_network_, name_,
                              osd_memory_target(mem_total_, disks_.size())};
        write(ops_.layout().conf, render_conf(config_, settings));
        ::chmod(ops_.layout().conf.c_str(), 0644);
        mkdir(config_.run_dir);
        mkdir(config_.log_dir);
        mkdir(config_.data_dir + "/crash");
    }

    void bootstrap(Marker& marker) {
        const Json settings = ceph_settings(input_);
        const std::string address = input_.value("addresses", Json::object()).value(name_, "");
        public_network_ = settings.value("public_network", "");
        if (public_network_.empty()) public_network_ = subnet_of_address(addresses_, address);
        if (public_network_.empty())
            throw sdk::Error("ceph_no_address", "Ceph: the public network is not given (ceph.public_network) and " +
                                                    name_ + "'s address " + address + " is on no interface here");
        cluster_network_ = settings.value("internal_network", "");
        if (cluster_network_.empty()) cluster_network_ = public_network_;
        const std::string ip = public_address(public_network_);
        marker.fsid = random_uuid();
        record_.bootstrapped = true;
        ctx_.progress("ceph: bootstrapping the cluster " + marker.fsid, 0, 0);
        write_conf(marker.fsid, {ip});

        const Layout& l = ops_.layout();
        const std::string scratch = config_.data_dir + "/tmp";
        mkdir(scratch);
        const std::string mon_keyring = scratch + "/" + config_.cluster + ".mon.keyring";
        const std::string monmap = scratch + "/monmap";
        created(mon_keyring);
        created(monmap);
        ops_.must(authtool_create(mon_keyring, "mon.", {"mon", "allow *"}), "create the mon. keyring");
        ops_.must(authtool_create(l.admin_keyring, "client.admin",
                                  {"mon", "allow *", "osd", "allow *", "mds", "allow *", "mgr", "allow *"}),
                  "create the client.admin keyring");
        created(l.admin_keyring);
        ops_.must(authtool_create(l.bootstrap_osd_keyring, "client.bootstrap-osd",
                                  {"mon", "profile bootstrap-osd", "mgr", "allow r"}),
                  "create the client.bootstrap-osd keyring");
        created(l.bootstrap_osd_keyring);
        ops_.must(authtool_import(mon_keyring, l.admin_keyring), "import client.admin into the mon. keyring");
        ops_.must(authtool_import(mon_keyring, l.bootstrap_osd_keyring),
                  "import client.bootstrap-osd into the mon. keyring");
        ops_.must(monmap_create(monmap, marker.fsid, name_, ip, mon_release(ops_)), "create the monmap");
        mkdir(l.daemon_dir("mon", name_));
        ops_.must(mon_mkfs(config_, name_, monmap, mon_keyring), "create monitor " + name_);
        fs::remove(mon_keyring);
        fs::remove(monmap);
        ops_.start("mon", name_);
        started("mon", name_);
        record_.mon = name_;
        marker.mon = true;
        ops_.wait_for(
            [&] {
                check_alive("mon", name_);
                return !ops_.try_query({"quorum_status"}).is_null();
            },
            kQuorumTimeout, "monitor " + name_ + " answers");
        ops_.must(ceph_cli(config_, {"config", "set", "mon", "auth_allow_insecure_global_id_reclaim", "false"}),
                  "refuse insecure global_id reclaim");
        if (config_.mon_data_avail_warn)
            ops_.must(ceph_cli(config_, {"config", "set", "mon", "mon_data_avail_warn",
                                         std::to_string(*config_.mon_data_avail_warn)}),
                      "set mon_data_avail_warn");
    }

    void join(Marker& marker) {
        const Json token = input_.value("token", Json::object());
        if (!token.is_object() || !token.contains("fsid"))
            throw sdk::Error("invalid_input", "Ceph: a joiner needs a token from a current member (input \"token\")");
        marker.fsid = token.value("fsid", "");
        public_network_ = token.value("public_network", "");
        cluster_network_ = token.value("cluster_network", public_network_);
        const std::string ip = public_address(public_network_);
        const bool run_mon = token.value("run_mon", false);
        std::vector<std::string> mons = token.value("mon_hosts", std::vector<std::string>{});
        ctx_.progress("ceph: joining the cluster " + marker.fsid, 0, 0);
        write_conf(marker.fsid, mons);  // the running monitors; this member's own once it is in the quorum
        const Layout& l = ops_.layout();
        write(l.admin_keyring, token.value("admin_keyring", ""));
        write(l.bootstrap_osd_keyring, token.value("bootstrap_osd_keyring", ""));
        if (!run_mon) return;
        const std::string scratch = config_.data_dir + "/tmp";
        mkdir(scratch);
        const std::string mon_keyring = scratch + "/" + config_.cluster + ".mon.keyring";
        const std::string monmap = scratch + "/monmap";
        write(mon_keyring, token.value("mon_keyring", ""));
        created(monmap);
        ops_.must(ceph_cli(config_, {"mon", "getmap", "-o", monmap}), "fetch the monmap");
        mkdir(l.daemon_dir("mon", name_));
        ops_.must(mon_mkfs(config_, name_, monmap, mon_keyring), "create monitor " + name_);
        fs::remove(mon_keyring);
        fs::remove(monmap);
        record_.mon = name_;
        ops_.start("mon", name_, {"--public-addr", address_argument(ip)});
        started("mon", name_);
        marker.mon = true;
        ops_.wait_for(
            [&] {
                check_alive("mon", name_);
                const Json quorum = ops_.try_query({"quorum_status"});
                const Json names = quorum.is_object() ? quorum.value("quorum_names", Json::array()) : Json::array();
                return std::find(names.begin(), names.end(), Json(name_)) != names.end();
            },
            kQuorumTimeout, "monitor " + name_ + " joins the quorum");
        if (std::find(mons.begin(), mons.end(), ip) == mons.end()) mons.push_back(ip);
        write_conf(marker.fsid, mons);
    }

    void start_mgr_and_mds(Marker& marker) {
        const Layout& l = ops_.layout();
        const std::string mgr_dir = l.daemon_dir("mgr", name_);
        mkdir(mgr_dir);
        ops_.must(ceph_cli(config_, {"auth", "get-or-create", "mgr." + name_, "mon", "allow profile mgr", "osd",
                                     "allow *", "mds", "allow *", "-o", mgr_dir + "/keyring"}),
                  "create mgr." + name_ + "'s key");
        ops_.start("mgr", name_);
        started("mgr", name_);
        if (!wants_cephfs(input_)) return;
        const std::string mds_dir = l.daemon_dir("mds", name_);
        mkdir(mds_dir);
        ops_.must(ceph_cli(config_, {"auth", "get-or-create", "mds." + name_, "mon", "profile mds", "mgr",
                                     "profile mds", "mds", "allow *", "osd", "allow *", "-o", mds_dir + "/keyring"}),
                  "create mds." + name_ + "'s key");
        ops_.start("mds", name_);
        started("mds", name_);
        marker.mds = true;
    }

    void make_osds(Marker& marker) {
        std::size_t done = 0;
        for (const Json& disk : disks_) {
            const std::string device = disk.value("path", "");
            ctx_.progress("ceph: OSD on " + device, done, disks_.size());
            if (disk.value("wipe", false)) {
                ops_.must(wipe_signatures(device), "wipe " + device);
                ops_.must(zap_head(device), "clear the start of " + device);
            }
            MadeOsd osd{"", random_uuid(), device};
            const std::string secret =
                ops_.must({"ceph-authtool", "--gen-print-key"}, "make a key for the OSD on " + device).out;
            const Json request = {{"cephx_secret", secret.substr(0, secret.find('\n'))}};
            const auto id = ops_.must(ceph_cli_bootstrap_osd(config_, {"osd", "new", osd.uuid, "-i", "-"}),
                                      "register the OSD on " + device, request.dump());
            osd.id = id.out.substr(0, id.out.find('\n'));
            record_.osds.push_back(osd);
            const std::string dir = ops_.layout().daemon_dir("osd", osd.id);
            mkdir(dir);
            std::error_code ec;
            fs::create_symlink(device, dir + "/block", ec);
            if (ec) throw sdk::Error("ceph_file_failed", "Ceph: could not link " + dir + "/block: " + ec.message());
            ops_.must(authtool_with_key(dir + "/keyring", "osd." + osd.id, request["cephx_secret"]),
                      "write osd." + osd.id + "'s keyring");
            ops_.must(osd_mkfs(config_, osd.id, osd.uuid), "create bluestore on " + device + " (osd." + osd.id + ")",
                      {}, std::chrono::seconds(300));
            ops_.start("osd", osd.id);
            started("osd", osd.id);
            marker.osds.push_back(osd);
            ++done;
        }
        if (!disks_.empty()) ctx_.progress("ceph: OSDs created", done, disks_.size());
        // Each OSD made here is up before the join counts as done: one that died at its start
        // fails this member's join, naming it, rather than Ceph's configure on the first member.
        for (const auto& osd : marker.osds)
            ops_.wait_for(
                [&] {
                    check_alive("osd", osd.id);
                    const Json dump = ops_.try_query({"osd", "dump"});
                    if (!dump.is_object()) return false;
                    for (const auto& o : dump.value("osds", Json::array()))
                        if (o.is_object() && std::to_string(o.value("osd", -1)) == osd.id) return o.value("up", 0) == 1;
                    return false;
                },
                kReadyTimeout, "osd." + osd.id + " on " + name_ + " (" + osd.device + ") comes up");
    }

    Json answer(const Marker& marker) const {
        const auto conf = parse_ceph_conf(read_text(ops_.layout().conf));
        Json osds = Json::array();
        for (const auto& osd : marker.osds) osds.push_back({{"id", osd.id}, {"device", osd.device}});
        return {{"cluster_name", config_.cluster},
                {"user", "admin"},
                {"fsid", marker.fsid},
                {"conf_file", ops_.layout().conf},
                {"mon_hosts", conf.get("global", "mon_host").value_or("")},
                {"public_network", conf.get("global", "public_network").value_or("")},
                {"cluster_network", conf.get("global", "cluster_network").value_or("")},
                {"mon", marker.mon},
                {"osds", osds}};
    }

    const sdk::Context& ctx_;
    const CephConfig& config_;
    CephOps ops_;
    CephRunRecord& record_;
    Json input_;
    std::string name_;
    Json addresses_ = Json::array();
    std::uint64_t mem_total_ = 0;
    Json disks_ = Json::array();
    std::string public_network_, cluster_network_;
};

// Sets size/min_size of `pool` for `size` replicas.
void set_replication(const CephOps& ops, const CephConfig& config, const std::string& pool, int size) {
    ops.must(ceph_cli(config, {"osd", "pool", "set", pool, "size", std::to_string(size), "--yes-i-really-mean-it"}),
             "set the replication of pool " + pool + " to " + std::to_string(size));
    ops.must(ceph_cli(config, {"osd", "pool", "set", pool, "min_size", std::to_string(size - size / 2)}),
             "set the min_size of pool " + pool);
}

std::vector<std::string> pool_names(const CephOps& ops) {
    std::vector<std::string> names;
    for (const auto& pool : ops.query({"osd", "pool", "ls"}, "list the pools"))
        if (pool.is_string()) names.push_back(pool.get<std::string>());
    return names;
}

// The default replication of new pools: min(#OSDs, 3).
int set_default_replication(const CephOps& ops, const CephConfig& config, std::size_t osds) {
    const int size = replication_for(osds);
    ops.must(ceph_cli(config, {"config", "set", "global", "osd_pool_default_size", std::to_string(size)}),
             "set the default replication");
    return size;
}

// Replication min(#OSDs, 3) as the default and on every pool MicroCloud uses (only those that
// differ are changed: one query for all of them).
int apply_replication(const CephOps& ops, const CephConfig& config, std::size_t osds) {
    const int size = set_default_replication(ops, config, osds);
    for (const auto& pool : ops.query({"osd", "pool", "ls", "detail"}, "list the pools")) {
        const std::string name = pool.value("pool_name", "");
        const bool ours = name == kRemotePool || name == kFsMetaPool || name == kFsDataPool || name == ".mgr" ||
                          name == "device_health_metrics";
        if (ours && (pool.value("size", 0) != size || pool.value("min_size", 0) != size - size / 2))
            set_replication(ops, config, name, size);
    }
    return size;
}

std::size_t osd_count(const CephOps& ops) {
    return ops.query({"osd", "stat"}, "count the OSDs").value("num_osds", 0);
}

// A member's OSD ids as CRUSH places them (host bucket named after the member).
std::vector<int> osds_of_host(const Json& tree, const std::string& host) {
    std::vector<int> ids;
    for (const auto& node : tree.value("nodes", Json::array()))
        if (node.value("type", "") == "host" && node.value("name", "") == host)
            for (const auto& child : node.value("children", Json::array())) ids.push_back(child.get<int>());
    return ids;
}

std::vector<std::string> mon_names(const Json& monmap) {
    std::vector<std::string> names;
    for (const auto& mon : monmap.value("mons", Json::array())) names.push_back(mon.value("name", ""));
    return names;
}

// The monitors' IP addresses in a `mon dump` ("addr": "10.0.0.1:6789/0" or "[fd00::1]:6789/0").
std::vector<std::string> mon_addresses(const Json& monmap) {
    std::vector<std::string> hosts;
    for (const auto& mon : monmap.value("mons", Json::array())) {
        std::string addr = mon.value("addr", "");
        addr = addr.substr(0, addr.rfind(':'));
        if (addr.size() > 1 && addr.front() == '[') addr = addr.substr(1, addr.size() - 2);
        if (!addr.empty()) hosts.push_back(addr);
    }
    return hosts;
}

// This member's ceph.conf names `hosts` as the monitors (when it names any and `hosts` is not empty).
void write_mon_host(const CephOps& ops, const std::vector<std::string>& hosts) {
    auto text = read_text(ops.layout().conf);
    const auto current = parse_ceph_conf(text).get("global", "mon_host");
    if (!current || hosts.empty()) return;
    const auto at = text.find("mon_host = " + *current);
    if (at == std::string::npos) return;
    text.replace(at, std::string("mon_host = ").size() + current->size(), "mon_host = " + mon_host_value(hosts));
    ops.write_file(ops.layout().conf, text, 0644);
}

// The bootstrap member's ceph.conf names only its own monitor. Before configure asks the cluster
// anything, the monitors the joins added are learnt through every member's address in the public
// network (the discovery reports) and written there, so that this member (and LXD on it) still
// reaches the cluster while its own monitor is down. Unchanged when no monitor answers.
void learn_monitors(const CephOps& ops, const Json& input) {
    const auto conf = parse_ceph_conf(read_text(ops.layout().conf));
    const std::string network = conf.get("global", "public_network").value_or("");
    const std::string known = conf.get("global", "mon_host").value_or("");
    std::string reach = known;
    const Json reports = input.value("discovery", Json::object());  // outlives the loop below
    for (const auto& [member, report] : reports.items()) {
        if (!report.is_object()) continue;
        const std::string address = address_in(report.value("addresses", Json::array()), network);
        if (address.empty()) continue;
        if (!reach.empty()) reach += ',';
        reach += mon_host_value({address});
    }
    if (reach.empty() || reach == known) return;
    const Json monmap = ops.try_query({"-m", reach, "mon", "dump"});
    if (monmap.is_object()) write_mon_host(ops, mon_addresses(monmap));
}

void remove_tree(const std::string& path) {
    std::error_code ec;
    fs::remove_all(path, ec);
}

}  // namespace

Json CephCluster::join(const sdk::Context& ctx) {
    record_ = {};
    Joiner joiner(ctx, config_, record_);
    try {
        return joiner.run();
    } catch (const std::exception& failure) {
        ctx.warn(std::string("ceph: join failed, taking back its changes: ") + failure.what());
        try {
            rollback(ctx);
        } catch (const std::exception& undo) {
            ctx.warn(std::string("ceph: taking back the failed join failed too: ") + undo.what());
        }
        throw;
    }
}

Json CephCluster::issue_token(const sdk::Context& ctx) {
    const std::string joiner = ctx.input().value("name", "");
    if (joiner.empty()) throw sdk::Error("invalid_input", "Ceph: issue_token needs the joiner's \"name\"");
    CephOps ops(ctx, config_);
    const Layout& l = ops.layout();
    const auto conf = parse_ceph_conf(read_text(l.conf));
    const Json monmap = ops.query({"mon", "dump"}, "read the monmap");
    const std::vector<std::string> hosts = mon_addresses(monmap);
    bool run_mon = false;
    {
        const std::lock_guard lock(tokens_mutex_);
        std::set<std::string> mons(promised_mons_.begin(), promised_mons_.end());
        for (const auto& name : mon_names(monmap)) mons.insert(name);
        run_mon = mons.contains(joiner) || mons.size() < kMonitors;
        if (run_mon) promised_mons_.insert(joiner);
    }
    const auto mon_key = ops.must(ceph_cli(config_, {"auth", "get", "mon."}), "read the mon. key");
    return {{"fsid", conf.get("global", "fsid").value_or("")},
            {"mon_hosts", hosts},
            {"mon_keyring", mon_key.out},
            {"admin_keyring", read_text(l.admin_keyring)},
            {"bootstrap_osd_keyring", read_text(l.bootstrap_osd_keyring)},
            {"public_network", conf.get("global", "public_network").value_or("")},
            {"cluster_network", conf.get("global", "cluster_network").value_or("")},
            {"run_mon", run_mon}};
}

Json CephCluster::configure(const sdk::Context& ctx) {
    CephOps ops(ctx, config_);
    learn_monitors(ops, ctx.input());
    ctx.progress("ceph: waiting for the mgr and the OSDs", 0, 0);
    ops.wait_for(
        [&] {
            const Json mgr = ops.try_query({"mgr", "stat"});
            return mgr.is_object() && mgr.value("available", false);
        },
        kReadyTimeout, "a mgr is available");
    std::size_t osds = 0;
    ops.wait_for(
        [&] {
            const Json stat = ops.try_query({"osd", "stat"});
            if (!stat.is_object()) return false;
            osds = stat.value("num_osds", std::size_t{0});
            return osds > 0 && stat.value("num_up_osds", std::size_t{0}) == osds && stat.value("num_in_osds", std::size_t{0}) == osds;
        },
        kReadyTimeout, "every OSD is up and in");
    set_default_replication(ops, config_, osds);  // the pools made below get it from the start
    Json created = Json::array();
    const auto existing = pool_names(ops);
    const auto ensure_pool = [&](const std::string& pool, const std::string& application) {
        if (std::find(existing.begin(), existing.end(), pool) != existing.end()) return;
        ops.must(ceph_cli(config_, {"osd", "pool", "create", pool}), "create pool " + pool);
        created.push_back(pool);
        if (!application.empty())
            ops.must(ceph_cli(config_, {"osd", "pool", "application", "enable", pool, application}),
                     "mark pool " + pool + " for " + application);
    };
    ensure_pool(kRemotePool, "rbd");
    Json answer = {{"pool", kRemotePool}};
    if (wants_cephfs(ctx.input())) {
        ensure_pool(kFsMetaPool, "");
        ensure_pool(kFsDataPool, "");
        const Json filesystems = ops.query({"fs", "ls"}, "list the filesystems");
        const bool exists = std::any_of(filesystems.begin(), filesystems.end(),
                                        [](const Json& fs) { return fs.value("name", "") == kFsName; });
        if (!exists) {
            ops.must(ceph_cli(config_, {"fs", "new", kFsName, kFsMetaPool, kFsDataPool}),
                     "create the filesystem " + std::string(kFsName));
            created.push_back(kFsName);
        }
        ops.wait_for(
            [&] {
                const Json status = ops.try_query({"fs", "get", kFsName});
                if (!status.is_object()) return false;
                const Json info_by_gid = status.value("mdsmap", Json::object()).value("info", Json::object());
                for (const auto& [gid, info] : info_by_gid.items())
                    if (info.value("state", "") == "up:active") return true;
                return false;
            },
            kReadyTimeout, "an MDS serves " + std::string(kFsName));
        answer["cephfs"] = kFsName;
        answer["cephfs_meta_pool"] = kFsMetaPool;
        answer["cephfs_data_pool"] = kFsDataPool;
    }
    answer["replication"] = apply_replication(ops, config_, osds);
    answer["osds"] = osds;
    answer["created"] = created;
    ctx.progress("ceph: pools ready with replication " + std::to_string(answer["replication"].get<int>()), 1, 1);
    return answer;
}

Json CephCluster::teardown(const sdk::Context& ctx) {
    // The next status connects afresh: a leave or a rollback takes this member's cluster away, and a
    // kept connection would only hold on to its monitors.
    status_connection_.drop();
    const std::string mode = ctx.input().value("mode", "");
    if (mode == "leave") return leave(ctx);
    if (mode == "remove") return remove(ctx, ctx.input().value("remove", ""));
    if (mode != "rollback")
        throw sdk::Error("invalid_input", "Ceph: teardown mode \"" + mode + "\" is not one of rollback, remove, leave");
    return rollback(ctx);
}

Json CephCluster::rollback(const sdk::Context& ctx) {
    CephOps ops(ctx, config_);
    Json undone = Json::array();
    Json failed = Json::array();
    const auto attempt = [&](const std::string& what, const std::function<void()>& step) {
        try {
            step();
            undone.push_back(what);
        } catch (const std::exception& e) {
            failed.push_back({{"step", what}, {"error", e.what()}});
        }
    };
    const bool cluster_stays = !record_.bootstrapped;
    // A daemon that was killed leaves its pid file and admin socket behind (in a run directory that
    // may be older than this run): they go with the daemon.
    const auto forget_daemon = [&](const std::string& kind, const std::string& id) {
        const std::string pid_file = ops.layout().pid_file(kind, id);
        remove_tree(pid_file);
        remove_tree(pid_file.substr(0, pid_file.size() - 4) + ".asok");
    };
    // OSDs: stopped, purged from the cluster that stays, their disks zapped.
    for (auto it = record_.osds.rbegin(); it != record_.osds.rend(); ++it) {
        attempt("stop osd." + it->id, [&] {
            ops.stop("osd", it->id);
            forget_daemon("osd", it->id);
        });
        if (cluster_stays)
            attempt("purge osd." + it->id, [&] {
                ops.must(ceph_cli(config_, {"osd", "purge", it->id, "--yes-i-really-mean-it"}), "purge osd." + it->id);
            });
        attempt("zap " + it->device, [&] {
            ops.must(zap_head(it->device), "zap " + it->device);
            ops.must(wipe_signatures(it->device), "wipe " + it->device);
        });
    }
    if (cluster_stays && !record_.osds.empty()) {
        const std::string host = member_name(ctx.input());
        attempt("remove CRUSH host " + host, [&] { ops.run(ceph_cli(config_, {"osd", "crush", "rm", host})); });
    }
    for (auto it = record_.started.rbegin(); it != record_.started.rend(); ++it) {
        const auto dot = it->find('.');
        const std::string kind = it->substr(0, dot), id = it->substr(dot + 1);
        if (kind == "osd") continue;
        // A monitor leaves the monmap while it still runs (so the others keep their quorum).
        if (kind == "mon" && cluster_stays)
            attempt("remove mon." + id, [&] {
                ops.must(ceph_cli(config_, {"mon", "remove", id}), "remove mon." + id + " from the monmap");
            });
        attempt("stop " + *it, [&] {
            ops.stop(kind, id);
            forget_daemon(kind, id);
        });
    }
    for (auto it = record_.created.rbegin(); it != record_.created.rend(); ++it) remove_tree(*it);
    undone.push_back("removed " + std::to_string(record_.created.size()) + " created files and directories");
    record_ = {};
    return {{"undone", undone}, {"failed", failed}};
}

Json CephCluster::leave(const sdk::Context& ctx) {
    CephOps ops(ctx, config_);
    const auto marker = read_marker(ops.layout());
    if (!marker) throw sdk::Error("unsupported", "Ceph was not formed by MicroCloud on this member");
    const std::string name = marker->member;
    const Json monmap = ops.query({"mon", "dump"}, "read the monmap");
    const auto mons = mon_names(monmap);
    const bool force = ctx.input().value("force", false);
    const auto members = ctx.input().value("members", std::vector<std::string>{});
    if (!force && members.size() == 2 && std::find(mons.begin(), mons.end(), name) != mons.end())
        throw sdk::Error("ceph_monmap",
                         "\"" + name + "\" must be removed from the Ceph monmap before it can be removed from MicroCloud");
    Json report = {{"member", name}};
    // Lower the replication first: the OSDs left must hold every copy.
    const std::size_t total = osd_count(ops);
    const std::size_t remaining = total > marker->osds.size() ? total - marker->osds.size() : 0;
    if (remaining > 0) report["replication"] = apply_replication(ops, config_, remaining);
    Json purged = Json::array();
    for (const auto& osd : marker->osds) {
        ops.run(ceph_cli(config_, {"osd", "out", osd.id}));
        if (remaining > 0)
            ops.wait_for(
                [&] { return ops.run(ceph_cli(config_, {"osd", "safe-to-destroy", "osd." + osd.id})).ok(); },
                std::chrono::seconds(300), "osd." + osd.id + "'s data moves to the other OSDs",
                std::chrono::milliseconds(2000));
        ops.stop("osd", osd.id);
        ops.must(ceph_cli(config_, {"osd", "purge", osd.id, "--yes-i-really-mean-it"}), "purge osd." + osd.id);
        ops.run(zap_head(osd.device));
        ops.run(wipe_signatures(osd.device));
        remove_tree(ops.layout().daemon_dir("osd", osd.id));
        purged.push_back(osd.id);
    }
    report["purged_osds"] = purged;
    ops.run(ceph_cli(config_, {"osd", "crush", "rm", name}));
    if (marker->mds) {
        ops.stop("mds", name);
        ops.run(ceph_cli(config_, {"auth", "del", "mds." + name}));
    }
    ops.stop("mgr", name);
    ops.run(ceph_cli(config_, {"auth", "del", "mgr." + name}));
    if (std::find(mons.begin(), mons.end(), name) != mons.end()) {
        ops.must(ceph_cli(config_, {"mon", "remove", name}), "remove mon." + name + " from the monmap");
        report["mon_removed"] = true;
    }
    ops.stop("mon", name);
    for (const char* kind : {"mon", "mgr", "mds"}) remove_tree(ops.layout().daemon_dir(kind, name));
    const Layout& l = ops.layout();
    for (const auto& file : {l.conf, l.admin_keyring, l.bootstrap_osd_keyring, l.marker}) remove_tree(file);
    return report;
}

Json CephCluster::remove(const sdk::Context& ctx, const std::string& name) {
    CephOps ops(ctx, config_);
    if (!read_marker(ops.layout())) throw sdk::Error("unsupported", "Ceph was not formed by MicroCloud here");
    if (name.empty()) throw sdk::Error("invalid_input", "Ceph: teardown remove needs the member (input \"remove\")");
    Json report = {{"member", name}};
    // What the member could not take out by itself (it was unreachable, or --force).
    const Json tree = ops.query({"osd", "tree"}, "read the OSD tree");
    Json purged = Json::array();
    for (int id : osds_of_host(tree, name)) {
        ops.must(ceph_cli(config_, {"osd", "purge", std::to_string(id), "--yes-i-really-mean-it"}),
                 "purge osd." + std::to_string(id) + " of " + name);
        purged.push_back(id);
    }
    report["purged_osds"] = purged;
    ops.run(ceph_cli(config_, {"osd", "crush", "rm", name}));
    const auto mons = mon_names(ops.query({"mon", "dump"}, "read the monmap"));
    if (std::find(mons.begin(), mons.end(), name) != mons.end()) {
        ops.must(ceph_cli(config_, {"mon", "remove", name}), "remove mon." + name + " from the monmap");
        report["mon_removed"] = true;
    }
    // This member's clients stop asking the removed monitor.
    write_mon_host(ops, mon_addresses(ops.query({"mon", "dump"}, "read the monmap")));
    report["replication"] = apply_replication(ops, config_, osd_count(ops));
    {
        const std::lock_guard lock(tokens_mutex_);
        promised_mons_.erase(name);
    }
    return report;
}

std::shared_ptr<const RadosLibrary> CephCluster::rados() const {
    const std::lock_guard lock(rados_mutex_);
    if (!rados_tried_ && !config_.librados.empty()) rados_ = RadosLibrary::load(config_.librados, rados_why_);
    rados_tried_ = true;
    return rados_;
}

std::vector<Json> CephCluster::status_documents(const CephOps& ops, std::string& unreachable,
                                                std::string& client) const {
    const std::vector<Json> commands = {{{"prefix", "status"}, {"format", "json"}},
                                        {{"prefix", "osd tree"}, {"format", "json"}}};
    if (const auto library = rados()) {
        client = "librados";
        try {
            std::string failure;
            RadosTarget target{ops.layout().conf, config_.cluster};
            // Short enough that a kept connection that went stale and a new one both fit in the
            // host's status deadline; a monitor that answers at all answers these in milliseconds.
            target.connect_timeout = std::chrono::seconds(8);
            target.command_timeout = std::chrono::seconds(5);
            std::vector<Json> documents = status_connection_.documents(library, target, commands, failure);
            if (!documents.front().is_object()) unreachable = "librados: " + failure;
            return documents;
        } catch (const sdk::Error& e) {
            unreachable = e.what();
            return {};
        }
    }
    client = config_.librados.empty() ? "ceph CLI" : "ceph CLI (librados: " + rados_why_ + ")";
    // Both from one `ceph` process (each costs a Python start).
    const CephOps::Batch batch = ops.query_batch({{"status"}, {"osd", "tree"}}, std::chrono::seconds(20));
    if (!document_with(batch.documents, "health").is_object())
        unreachable = sdk::programs::failure_text(batch.result);
    return batch.documents;
}

Json CephCluster::status(const sdk::Context& ctx) const {
    CephOps ops(ctx, config_);
    const auto marker = read_marker(ops.layout());
    if (!marker) return {{"formed", false}, {"summary", "not formed here"}};
    std::string unreachable, client;
    const std::vector<Json> documents = status_documents(ops, unreachable, client);
    const Json status = document_with(documents, "health");
    const auto summary = summarise_status_document(status);
    MemberDaemons here{marker->member, marker->mon, marker->mds, marker->osds.size(), 0};
    if (!summary)
        return {{"formed", true},
                {"reachable", false},
                {"summary", "cluster does not answer: " + unreachable},
                {"client", client},
                {"service", service_row(here, nullptr)}};
    Json out = *summary;
    out["formed"] = true;
    Json mine = Json::array();
    std::size_t up = 0, in = 0;
    out["client"] = client;
    const Json tree = document_with(documents, "nodes");
    here.osds_known = tree.is_object();
    if (tree.is_object()) {
        const auto ids = osds_of_host(tree, marker->member);
        for (const auto& node : tree.value("nodes", Json::array())) {
            if (node.value("type", "") != "osd") continue;
            if (std::find(ids.begin(), ids.end(), node.value("id", -1)) == ids.end()) continue;
            const bool is_up = node.value("status", "") == "up";
            const bool is_in = node.value("reweight", 0.0) > 0.0;
            up += is_up ? 1 : 0;
            in += is_in ? 1 : 0;
            mine.push_back({{"id", node.value("id", -1)}, {"up", is_up}, {"in", is_in}});
        }
    }
    out["member_osds"] = mine;
    here.osds_up = up;
    out["service"] = service_row(here, *summary);
    const Json quorum = out.value("quorum", Json::array());
    std::string line = out.value("status", std::string("unknown")) + "; " +
                       std::to_string(quorum.is_array() ? quorum.size() : 0) + " mons in quorum; " +
                       std::to_string(mine.size()) + " OSD(s) here, " + std::to_string(up) + " up, " +
                       std::to_string(in) + " in";
    out["summary"] = line;
    return out;
}

}  // namespace microcloud::plugins::ceph
