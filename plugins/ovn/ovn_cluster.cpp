// plugins/ovn/ovn_cluster.cpp - OVN's cluster steps on one member, through ovn-ctl, ovs-vsctl,
// ovs-appctl, ovn-sbctl/ovn-nbctl and openssl run by the host.
#include "ovn_cluster.hpp"

#include "host_state.hpp"
#include "ovn_daemons.hpp"
#include "ovn_pki.hpp"
#include "ovsdb_json.hpp"
#include "unixctl.hpp"

#include <microcloud/sdk/programs.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <map>
#include <sstream>
#include <thread>

namespace microcloud::plugins::ovn {

namespace fs = std::filesystem;
using sdk::Json;

namespace {

constexpr std::chrono::seconds kCommandTimeout{60};
constexpr std::chrono::seconds kJoinTimeout{90};
constexpr std::chrono::seconds kLeaveTimeout{20};
constexpr std::chrono::seconds kQueryTimeout{10};

// The keys MicroCloud removes from OVS's external_ids when a member leaves.
constexpr const char* kLeaveKeys[] = {"ovn-remote", "ovn-encap-type", "ovn-encap-ip"};

std::string member_name(const Json& input) {
    const Json member = input.value("member", Json::object());
    const std::string name = member.is_object() ? member.value("name", "") : "";
    if (name.empty()) throw sdk::Error("invalid_input", "the host did not say which member this is (input \"member\")");
    return name;
}

std::string address_of(const Json& input, const std::string& member) {
    const Json addresses = input.value("addresses", Json::object());
    const auto it = addresses.find(member);
    if (it == addresses.end() || !it->is_string() || it->get<std::string>().empty())
        throw sdk::Error("invalid_input", "the plan gives no address for member \"" + member + "\"");
    return it->get<std::string>();
}

sdk::CommandResult run(const sdk::Context& ctx, const OvnConfig& config, const std::vector<std::string>& argv,
                       std::chrono::seconds timeout = kCommandTimeout) {
    sdk::CommandOptions options;
    options.env = ovn_environment(config);
    options.timeout = timeout;
    return ctx.run(argv, options);
}

// Runs `argv` and throws Error(code) naming `what` when it fails.
sdk::CommandResult must(const sdk::Context& ctx, const OvnConfig& config, const std::vector<std::string>& argv,
                        const std::string& what, std::chrono::seconds timeout = kCommandTimeout) {
    sdk::CommandResult result = run(ctx, config, argv, timeout);
    if (!result.ok())
        throw sdk::Error("ovn_command_failed", "OVN: could not " + what + ": " + argv.front() + " " +
                                                   sdk::programs::failure_text(result));
    return result;
}

std::string ovs_db(const OvnConfig& config) {
    return "--db=unix:" + config.ovs_rundir + "/db.sock";
}

// ovn-sbctl on the cloud's SB databases over TLS with this member's certificate, then `command`.
std::vector<std::string> sbctl_argv(const OvnConfig& config, const std::vector<Central>& centrals,
                                    std::initializer_list<std::string> command) {
    const PkiFiles pki = pki_files(config.pki_dir);
    std::vector<std::string> argv{"ovn-sbctl",
                                  "--db=" + ssl_remotes(centrals, kSouthboundPort),
                                  "--private-key=" + pki.key,
                                  "--certificate=" + pki.cert,
                                  "--ca-cert=" + pki.ca_cert,
                                  "--timeout=" + std::to_string(kQueryTimeout.count())};
    argv.insert(argv.end(), command);
    return argv;
}

std::string pidfile(const OvnConfig& config, const std::string& daemon) {
    static const std::map<std::string, std::string> files{{"nb_ovsdb", "ovnnb_db.pid"},
                                                          {"sb_ovsdb", "ovnsb_db.pid"},
                                                          {"northd", "ovn-northd.pid"},
                                                          {"controller", "ovn-controller.pid"}};
    return config.ovn_rundir + "/" + files.at(daemon);
}

bool running(const OvnConfig& config, const std::string& daemon) {
    return daemon_state(daemon, pidfile(config, daemon), "/proc").running;
}

// Throws at once when `daemon` (started or found running by this join) is gone: waiting out a
// timeout for a daemon that died cannot succeed.
void must_be_running(const OvnConfig& config, const std::string& daemon, const std::string& member) {
    if (!running(config, daemon))
        throw sdk::Error("ovn_daemon_died", "OVN: " + daemon + " of " + member + " stopped running (its pid file " +
                                                pidfile(config, daemon) + " names no live process); see " +
                                                config.ovn_logdir);
}

// Waits until `ready` holds, polling; throws Error("ovn_timeout") with `what` and the last note.
void wait_for(const std::function<std::optional<std::string>()>& not_ready, std::chrono::seconds limit,
              const std::string& what) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    std::string last;
    for (;;) {
        const auto why = not_ready();
        if (!why) return;
        last = *why;
        if (std::chrono::steady_clock::now() >= deadline)
            throw sdk::Error("ovn_timeout",
                             "OVN: " + what + " within " + std::to_string(limit.count()) + " s (last: " + last + ")");
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
}

// The database server's cluster/status (what `ovs-appctl -t <db>.ctl cluster/status` prints),
// asked over its control socket; nullopt when no server answers there.
std::optional<RaftStatus> raft_status(const OvnConfig& config, Database db) {
    const UnixctlReply reply =
        unixctl_call(database_control(config, db), "cluster/status", {schema_name(db)}, std::chrono::seconds(5));
    if (!reply.ok) return std::nullopt;
    return parse_raft_status(reply.text);
}

// ovn-controller's connection-status (`ovn-appctl -t ovn-controller connection-status`), asked
// over its control socket.
UnixctlReply controller_connection(const OvnConfig& config) {
    return unixctl_call(daemon_control_socket(config.ovn_rundir, "ovn-controller"), "connection-status", {},
                        kQueryTimeout);
}

std::vector<Central> read_centrals(const OvnConfig& config) {
    std::ifstream in(config.pki_dir + "/centrals.json");
    if (!in) return {};
    const Json json = Json::parse(in, nullptr, false);
    return json.is_discarded() ? std::vector<Central>{} : centrals_from_json(json);
}

// The names in the Southbound Chassis table. A member whose own SB server is a connected raft
// member reads them from its local socket (what --no-leader-only allows, without a process and a
// TLS handshake); the others, or when that read fails, ask the centrals with ovn-sbctl over TLS.
// `from` says which: "local database" or "ovn-sbctl".
Json chassis_names(const sdk::Context& ctx, const OvnConfig& config, const std::vector<Central>& centrals,
                   bool local_member, std::string& from) {
    Json names = Json::array();
    if (local_member) {
        const OvsdbSelect local = ovsdb_select(database_socket(config, Database::southbound), "OVN_Southbound",
                                               "Chassis", {"name"}, std::chrono::seconds(2));
        if (local.ok) {
            for (const Json& row : local.rows)
                if (const std::string name = row.value("name", ""); !name.empty()) names.push_back(name);
            from = "local database";
            return names;
        }
    }
    const sdk::CommandResult listed =
        run(ctx, config, sbctl_argv(config, centrals, {"--no-leader-only", "--bare", "--columns=name", "list", "Chassis"}),
            kQueryTimeout);
    std::istringstream in(listed.out);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) names.push_back(line);
    from = "ovn-sbctl";
    return names;
}

void write_centrals(const OvnConfig& config, const std::vector<Central>& centrals) {
    write_private_file(config.pki_dir + "/centrals.json", centrals_to_json(centrals).dump() + "\n");
}

// Open vSwitch's external_ids, selected from its database socket as discovery reads them.
Json external_ids(const OvnConfig& config) {
    const std::string socket = config.ovs_rundir + "/db.sock";
    const OvsdbSelect answer = ovsdb_select(socket, "Open_vSwitch", "Open_vSwitch", {"external_ids"}, kQueryTimeout);
    if (!answer.ok)
        throw sdk::Error("ovn_command_failed",
                         "OVN: could not read Open vSwitch's settings (is ovsdb-server running with " + socket +
                             "?): " + answer.error);
    if (answer.rows.empty())
        throw sdk::Error("ovn_command_failed", "OVN: Open vSwitch's database has no Open_vSwitch row yet");
    return answer.rows.front().value("external_ids", Json::object());
}

// ovs-vsctl's text for a value: quoted, so that commas and colons stay in one string.
std::string quoted(const std::string& value) {
    return "\"" + value + "\"";
}

// ovs-vswitchd as its pid file in the OVS run directory tells it.
DaemonState vswitchd_state(const OvnConfig& config) {
    return daemon_state("ovs-vswitchd", fs::path(config.ovs_rundir) / "ovs-vswitchd.pid", "/proc");
}

// Throws when the pid file says ovs-vswitchd died (without a pid file nothing is known): a chassis
// needs it, and ovs-vsctl would only wait out its timeout and end with "Alarm clock".
void require_vswitchd(const OvnConfig& config, const std::string& member) {
    const DaemonState vswitchd = vswitchd_state(config);
    if (vswitchd.pid && !vswitchd.running)
        throw sdk::Error("ovn_ovs_not_running", "OVN: Open vSwitch's ovs-vswitchd on " + member +
                                                    " is not running (its pid file " + vswitchd.pidfile + " names pid " +
                                                    std::to_string(*vswitchd.pid) +
                                                    ", which is gone): start Open vSwitch there and run again");
}

// Sets (null: removes) keys of Open vSwitch's external_ids. `wait`: until ovs-vswitchd applied them
// (a join proves Open vSwitch works); an undo only needs the database changed, and ovs-vswitchd
// picks the change up whenever it runs again.
void set_external_ids(const sdk::Context& ctx, const OvnConfig& config, const Json& ids, bool wait = true) {
    std::vector<std::string> argv{"ovs-vsctl", ovs_db(config), "--timeout=20"};
    if (!wait) argv.push_back("--no-wait");
    for (const auto& [key, value] : ids.items()) {
        argv.insert(argv.end(), {"--", value.is_null() ? "remove" : "set", "Open_vSwitch", "."});
        if (value.is_null())
            argv.insert(argv.end(), {"external_ids", key});
        else
            argv.push_back("external_ids:" + key + "=" + quoted(value.get<std::string>()));
    }
    const sdk::CommandResult result = run(ctx, config, argv);
    if (result.ok()) return;
    const DaemonState vswitchd = vswitchd_state(config);
    throw sdk::Error("ovn_command_failed",
                     "OVN: could not set Open vSwitch's external_ids" +
                         std::string(wait && vswitchd.pid && !vswitchd.running
                                         ? " (ovs-vswitchd, pid " + std::to_string(*vswitchd.pid) + ", is not running)"
                                         : "") +
                         ": ovs-vsctl " + sdk::programs::failure_text(result));
}

bool integration_bridge_exists(const sdk::Context& ctx, const OvnConfig& config) {
    return run(ctx, config, {"ovs-vsctl", ovs_db(config), "--timeout=10", "br-exists", "br-int"}, kQueryTimeout).ok();
}

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw sdk::Error("ovn_files_missing", "OVN: cannot read " + path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

std::string health_summary(const Json& status) {
    std::string out;
    const auto add = [&out](const std::string& part) { out += (out.empty() ? "" : "; ") + part; };
    const Json databases = status.value("databases", Json::object());
    for (const auto& [schema, db] : databases.items()) {
        const std::string name = schema == "OVN_Northbound" ? "NB" : "SB";
        const std::string leader = db.value("leader", "unknown");
        add(name + " " + db.value("role", "?") +
            (db.value("status", "") == "cluster member" ? "" : " (" + db.value("status", "") + ")") +
            (leader == "unknown" ? ", no leader" : ""));
    }
    if (!status.contains("chassis")) return out.empty() ? "not formed here" : out;
    add("controller " + status.value("controller", "?"));
    add(status.value("chassis_registered", false) ? "chassis registered" : "chassis not registered");
    add(std::to_string(status["chassis"].size()) + " chassis in the cloud");
    return out;
}

Json service_row(const Json& status) {
    const Json databases = status.value("databases", Json::object());
    const bool chassis = status.value("chassis_registered", false);
    if (databases.empty() && !chassis) return nullptr;
    std::string role;
    std::string problem;
    const auto add = [](std::string& text, const std::string& part, const char* between) {
        text += (text.empty() ? "" : between) + part;
    };
    for (const auto& [schema, db] : databases.items()) {
        const std::string name = schema == "OVN_Northbound" ? "NB" : "SB";
        add(role, name + " " + db.value("role", "?"), "\n");
        if (db.value("status", "") != "cluster member")
            add(problem, name + ": " + db.value("status", "no status"), "; ");
        else if (db.value("leader", "unknown") == "unknown")
            add(problem, name + ": no leader", "; ");
    }
    if (chassis) {
        add(role, "chassis", "\n");
        const std::string controller = status.value("controller", "");
        if (controller != "connected") add(problem, "controller " + controller, "; ");
    }
    return {{"role", role}, {"status", problem.empty() ? "ONLINE" : problem}};
}

Json undo_run(const sdk::Context& ctx, const OvnConfig& config, const RunRecord& record) {
    Json out{{"undone", Json::array()}, {"failed", Json::array()}};
    const auto step = [&](const std::string& label, const std::function<void()>& undo) {
        try {
            undo();
            out["undone"].push_back(label);
        } catch (const std::exception& e) {
            out["failed"].push_back(label + ": " + e.what());
        }
    };
    for (auto it = record.started.rbegin(); it != record.started.rend(); ++it)
        step("stop " + *it, [&] { must(ctx, config, stop_argv(config, *it), "stop " + *it); });
    // The database is what counts: no waiting for an ovs-vswitchd that may be gone.
    if (record.external_ids)
        step("restore external_ids", [&] { set_external_ids(ctx, config, *record.external_ids, false); });
    if (record.created_integration_bridge)
        step("delete br-int", [&] {
            must(ctx, config,
                 {"ovs-vsctl", ovs_db(config), "--timeout=20", "--no-wait", "--if-exists", "del-br", "br-int"},
                 "delete br-int");
        });
    for (auto it = record.created.rbegin(); it != record.created.rend(); ++it)
        step("remove " + *it, [&] { fs::remove_all(*it); });
    return out;
}

Json OvnCluster::join(const sdk::Context& ctx) {
    const Json& input = ctx.input();
    const std::string member = member_name(input);
    const std::string ip = address_of(input, member);
    const bool bootstrap = input.value("bootstrap", false);
    const Json token = input.value("token", Json::object());
    record_ = RunRecord{};
    try {
        std::vector<Central> centrals;
        std::optional<std::string> join_through;
        if (bootstrap) {
            centrals = centrals_after({}, bootstrap_order(input), input.value("addresses", Json::object()));
        } else {
            const std::vector<Central> existing = centrals_from_json(token.value("centrals", Json::array()));
            centrals = centrals_after(existing, input.value("joining", std::vector<std::string>{}),
                                      input.value("addresses", Json::object()));
            for (const Central& c : existing)
                if (c.name != member && !join_through) join_through = c.address;
            if (!join_through)
                throw sdk::Error("invalid_token", "the OVN token names no central database to join through");
        }
        require_vswitchd(config_, member);
        const PkiFiles pki = pki_files(config_.pki_dir);
        ctx.progress("ovn: certificates", 0, 0);
        for (const std::string& path : bootstrap ? ensure_ca(ctx, config_.pki_dir)
                                                 : install_ca(config_.pki_dir, token.value("ca_cert", ""),
                                                              token.value("ca_key", "")))
            record_.created.push_back(path);
        for (const std::string& path : ensure_certificate(ctx, config_.pki_dir, "ovn", member))
            record_.created.push_back(path);

        const bool central = is_central(centrals, member);
        if (central) {
            for (Database db : {Database::northbound, Database::southbound}) {
                const std::string daemon = db == Database::northbound ? "nb_ovsdb" : "sb_ovsdb";
                if (!fs::exists(database_file(config_, db))) record_.created.push_back(database_file(config_, db));
                if (!running(config_, daemon)) {
                    ctx.info("ovn: starting the " + std::string(schema_name(db)) + " database on " + member +
                             (join_through ? " (joining through " + *join_through + ")" : " (new cluster)"));
                    must(ctx, config_, start_database_argv(config_, db, ip, join_through),
                         "start the " + std::string(schema_name(db)) + " database");
                    record_.started.push_back(daemon);
                }
            }
            if (bootstrap) {
                must(ctx, config_,
                     {"ovn-nbctl", "--db=unix:" + database_socket(config_, Database::northbound), "--timeout=30",
                      "set-connection", "pssl:" + std::to_string(kNorthboundPort)},
                     "let the Northbound database listen over TLS");
                must(ctx, config_,
                     {"ovn-sbctl", "--db=unix:" + database_socket(config_, Database::southbound), "--timeout=30",
                      "set-connection", "pssl:" + std::to_string(kSouthboundPort)},
                     "let the Southbound database listen over TLS");
            }
            for (Database db : {Database::northbound, Database::southbound})
                wait_for(
                    [&]() -> std::optional<std::string> {
                        must_be_running(config_, db == Database::northbound ? "nb_ovsdb" : "sb_ovsdb", member);
                        const auto status = raft_status(config_, db);
                        if (!status) return "no answer from " + database_control(config_, db);
                        if (status->status != "cluster member" || status->leader == "unknown")
                            return status->status + ", leader " + status->leader;
                        return std::nullopt;
                    },
                    kJoinTimeout,
                    "the " + std::string(schema_name(db)) + " database of " + member +
                        " did not become a raft cluster member (see " + config_.ovn_logdir + ")");
            if (!running(config_, "northd")) {
                must(ctx, config_, start_northd_argv(config_, centrals), "start ovn-northd");
                record_.started.push_back("northd");
            }
        }

        ctx.progress("ovn: chassis", 0, 0);
        require_vswitchd(config_, member);
        const auto wanted =
            chassis_external_ids(member, centrals, encap_ip(input, member), !kernel_module_loaded("/sys", "openvswitch"));
        const Json current = external_ids(config_);
        Json prior = Json::object();
        for (const auto& [key, value] : wanted)
            prior[key] = current.contains(key) && current[key].is_string() ? current[key] : Json(nullptr);
        record_.external_ids = prior;
        record_.created_integration_bridge = !integration_bridge_exists(ctx, config_);
        set_external_ids(ctx, config_, Json(wanted));
        if (!running(config_, "controller")) {
            must(ctx, config_, start_controller_argv(config_), "start ovn-controller");
            record_.started.push_back("controller");
        }
        wait_for(
            [&]() -> std::optional<std::string> {
                must_be_running(config_, "controller", member);
                const UnixctlReply r = controller_connection(config_);
                const std::string said = sdk::programs::last_line(r.text);
                if (r.ok && said == "connected") return std::nullopt;
                return said.empty() ? r.text : said;
            },
            kJoinTimeout,
            "ovn-controller of " + member + " did not connect to the Southbound database at " +
                wanted.at("ovn-remote"));

        const bool had_centrals_file = fs::exists(config_.pki_dir + "/centrals.json");
        write_centrals(config_, centrals);
        if (!had_centrals_file) record_.created.push_back(config_.pki_dir + "/centrals.json");

        // What LXD needs to drive OVN (published to it): the NB databases and a client certificate.
        for (const std::string& path : ensure_certificate(ctx, config_.pki_dir, "lxd-client", "lxd"))
            record_.created.push_back(path);
        return {{"member", member},
                {"central", central},
                {"centrals", centrals_to_json(centrals)},
                {"northbound_connection", ssl_remotes(centrals, kNorthboundPort)},
                {"ca_cert", read_text(pki.ca_cert)},
                {"client_cert", read_text(config_.pki_dir + "/lxd-client.crt")},
                {"client_key", read_text(config_.pki_dir + "/lxd-client.key")}};
    } catch (const std::exception& e) {
        // The host tears down only completed joins: a failed one takes back its own changes.
        const Json undone = undo_run(ctx, config_, record_);
        record_ = RunRecord{};
        if (!undone["failed"].empty()) ctx.warn("ovn: could not take back all of " + member + "'s join: " + undone.dump());
        throw;
    }
}

Json OvnCluster::issue_token(const sdk::Context& ctx) const {
    const std::string name = ctx.input().value("name", "");
    if (name.empty()) throw sdk::Error("invalid_input", "issue_token needs the joiner's name (input \"name\")");
    const PkiFiles pki = pki_files(config_.pki_dir);
    const std::vector<Central> centrals = read_centrals(config_);
    if (centrals.empty())
        throw sdk::Error("ovn_not_formed", "OVN is not formed on this member (no " + config_.pki_dir +
                                               "/centrals.json): it cannot invite " + name);
    return {{"ca_cert", read_text(pki.ca_cert)}, {"ca_key", read_text(pki.ca_key)}, {"centrals", centrals_to_json(centrals)}};
}

Json OvnCluster::configure(const sdk::Context& ctx) const {
    const Json& input = ctx.input();
    const std::vector<Central> centrals = centrals_after(
        read_centrals(config_), input.value("joining", std::vector<std::string>{}), input.value("addresses", Json::object()));
    write_centrals(config_, centrals);
    return {{"centrals", centrals_to_json(centrals)}};
}

Json OvnCluster::teardown(const sdk::Context& ctx) {
    const Json& input = ctx.input();
    const std::string mode = input.value("mode", "rollback");
    if (mode == "remove") return remove(ctx, input.value("remove", ""));
    if (mode == "leave") return leave(ctx);
    const Json undone = undo_run(ctx, config_, record_);
    record_ = RunRecord{};
    if (!undone["failed"].empty())
        throw sdk::Error("teardown_incomplete",
                         "OVN on " + member_name(input) + " could not take back: " + undone["failed"].dump(), undone);
    return undone;
}

bool OvnCluster::formed_here() const {
    return fs::exists(config_.pki_dir + "/centrals.json");
}

Json OvnCluster::leave(const sdk::Context& ctx) {
    const std::string member = member_name(ctx.input());
    if (!formed_here()) throw sdk::Error("unsupported", "OVN was not formed by MicroCloud on " + member);
    Json out{{"member", member}, {"left", Json::array()}};
    for (Database db : {Database::northbound, Database::southbound}) {
        if (!raft_status(config_, db)) continue;  // no database server here
        ctx.info("ovn: " + member + " leaves the " + schema_name(db) + " raft cluster");
        must(ctx, config_, {"ovs-appctl", "-t", database_control(config_, db), "cluster/leave", schema_name(db)},
             "leave the " + std::string(schema_name(db)) + " cluster");
        try {
            wait_for(
                [&]() -> std::optional<std::string> {
                    const auto status = raft_status(config_, db);
                    if (!status || status->status == "left cluster") return std::nullopt;
                    return status->status;
                },
                kLeaveTimeout,
                "the " + std::string(schema_name(db)) + " database of " + member + " did not leave its cluster");
            out["left"].push_back(schema_name(db));
        } catch (const sdk::Error& e) {
            // The cluster may be electing a leader: the server stops here all the same, and the
            // member that removes this one kicks it out of the cluster if it is still listed.
            ctx.warn(std::string(e.what()) + "; stopping it anyway");
            out["not_left"].push_back(schema_name(db));
        }
    }
    for (const char* daemon : {"controller", "northd", "sb_ovsdb", "nb_ovsdb"})
        if (running(config_, daemon)) must(ctx, config_, stop_argv(config_, daemon), std::string("stop ") + daemon);
    Json cleared = Json::object();
    for (const char* key : kLeaveKeys) cleared[key] = nullptr;
    set_external_ids(ctx, config_, cleared);
    must(ctx, config_, {"ovs-vsctl", ovs_db(config_), "--timeout=20", "--if-exists", "del-br", "br-int"},
         "delete br-int");
    for (Database db : {Database::northbound, Database::southbound}) fs::remove(database_file(config_, db));
    fs::remove_all(config_.pki_dir);
    record_ = RunRecord{};
    return out;
}

Json OvnCluster::remove(const sdk::Context& ctx, const std::string& name) {
    if (name.empty()) throw sdk::Error("invalid_input", "teardown mode \"remove\" needs the member (input \"remove\")");
    if (!formed_here())
        throw sdk::Error("unsupported", "OVN was not formed by MicroCloud on " + member_name(ctx.input()) +
                                            ", so it has no OVN membership of " + name + " to take back");
    std::vector<Central> centrals = read_centrals(config_);
    Json out{{"removed", name}, {"kicked", Json::array()}};
    const auto gone = std::find_if(centrals.begin(), centrals.end(), [&](const Central& c) { return c.name == name; });
    if (gone != centrals.end()) {
        const std::string address = gone->address;
        centrals.erase(gone);
        for (Database db : {Database::northbound, Database::southbound}) {
            const auto status = raft_status(config_, db);
            if (!status) continue;  // this member runs no database: the leaving member left by itself
            const int port = db == Database::northbound ? kNorthboundRaftPort : kSouthboundRaftPort;
            const std::string server = ssl_endpoint(address, port);
            if (std::find(status->servers.begin(), status->servers.end(), server) == status->servers.end()) continue;
            ctx.info("ovn: removing " + name + " (" + server + ") from the " + schema_name(db) + " raft cluster");
            must(ctx, config_, {"ovs-appctl", "-t", database_control(config_, db), "cluster/kick", schema_name(db), server},
                 "remove " + name + " from the " + std::string(schema_name(db)) + " cluster");
            out["kicked"].push_back(schema_name(db));
        }
    }
    if (!centrals.empty()) {
        must(ctx, config_, sbctl_argv(config_, centrals, {"--if-exists", "chassis-del", name}),
             "delete the chassis of " + name);
        out["chassis_deleted"] = true;
    }
    write_centrals(config_, centrals);
    out["centrals"] = centrals_to_json(centrals);
    return out;
}

Json OvnCluster::status(const sdk::Context& ctx) const {
    const std::string member = member_name(ctx.input());
    Json out{{"member", member}, {"databases", Json::object()}};
    for (Database db : {Database::northbound, Database::southbound})
        if (const auto status = raft_status(config_, db))
            out["databases"][schema_name(db)] = {
                {"status", status->status}, {"role", status->role}, {"leader", status->leader}, {"servers", status->servers}};
    const UnixctlReply controller = controller_connection(config_);
    out["controller"] = controller.ok ? sdk::programs::last_line(controller.text) : "not running";
    const std::vector<Central> centrals = read_centrals(config_);
    if (!centrals.empty()) {
        const bool local_member = out["databases"].value(schema_name(Database::southbound), Json::object())
                                      .value("status", "") == "cluster member";
        std::string from;
        const Json chassis = chassis_names(ctx, config_, centrals, local_member, from);
        out["chassis"] = chassis;
        out["chassis_from"] = from;
        out["chassis_registered"] = std::find(chassis.begin(), chassis.end(), Json(member)) != chassis.end();
    }
    out["summary"] = health_summary(out);
    if (Json row = service_row(out); !row.is_null()) out["service"] = std::move(row);
    return out;
}

}  // namespace microcloud::plugins::ovn
