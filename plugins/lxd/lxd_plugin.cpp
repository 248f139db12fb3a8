// plugins/lxd/lxd_plugin.cpp - LxdPlugin: gathers observations through the host, then reports them.
#include "lxd_plugin.hpp"

#include "apply_state.hpp"
#include "desired_state.hpp"
#include "discovery_report.hpp"
#include "inventory.hpp"
#include "kernel_modules.hpp"
#include "local_disk_wipe.hpp"
#include "lxd_api.hpp"
#include "member_resources.hpp"
#include "offline_reset.hpp"
#include "plan_input.hpp"
#include "plan_rules.hpp"
#include "program_probe.hpp"
#include "server_summary.hpp"
#include "service_status.hpp"
#include "socket_choice.hpp"

#include <microcloud/sdk/programs.hpp>

#include <cctype>
#include <chrono>
#include <exception>
#include <filesystem>
#include <thread>
#include <utility>

namespace microcloud::plugins::lxd {
namespace {

using sdk::Json;

constexpr std::chrono::milliseconds version_timeout{10000};
constexpr std::chrono::milliseconds request_timeout{5000};

ProgramProbe probe_program(const sdk::Context& ctx) {
    try {
        sdk::CommandOptions options;
        options.timeout = version_timeout;
        options.cache_while_program_unchanged = true;  // the version only changes with the file
        return read_version_answer(ctx.run(version_command(), options));
    } catch (const std::exception& e) {
        return program_not_started(e.what());
    }
}

// Where no LXD socket exists LXD does not run, and its version does not matter yet: the program is
// only looked for in PATH and the standard directories (`lxd --version`, a Go program's start, cost
// about 0.15 s of CPU here, on every member at once).
ProgramProbe locate_program(const SystemView& system) {
    for (const auto& dir : sdk::programs::program_search_dirs(system.env("PATH").value_or("")))
        if (system.exists((dir / "lxd").string())) return ProgramProbe{true, "", ""};
    return ProgramProbe{false, "", "there is no lxd in PATH or the standard sbin/bin directories"};
}

// GETs `path` from LXD and summarises the metadata; any failure becomes the answer's problem.
Answer ask(const LxdApi& api, const std::string& path, Json (*summarize)(const Json&)) {
    try {
        return Answer{summarize(api.get(path)), {}};
    } catch (const std::exception& e) {
        return Answer{Json(), e.what()};
    }
}

// Discovery found LXD running moments ago: a join that finds it gone fails fast.
constexpr std::chrono::seconds still_running_limit{10};

// SHA-256 fingerprint (lower-case hex) of a PEM certificate, computed by openssl(1) through the
// host: a plugin links only the SDK, which has no hash.
std::string certificate_fingerprint(const sdk::Context& ctx, const std::string& pem) {
    if (pem.empty()) throw sdk::Error("invalid_token", "the LXD join token came without the cluster certificate");
    sdk::CommandOptions options;
    options.stdin_data = pem;
    options.timeout = std::chrono::seconds(10);
    const sdk::CommandResult result = ctx.run({"openssl", "x509", "-noout", "-fingerprint", "-sha256"}, options);
    const auto equals = result.out.find('=');
    if (!result.ok() || equals == std::string::npos)
        throw sdk::Error("invalid_token", "the cluster certificate could not be read (openssl x509: " +
                                              (result.err.empty() ? result.out : result.err) + ")");
    std::string hex;
    for (char c : result.out.substr(equals + 1))
        if (std::isxdigit(static_cast<unsigned char>(c))) hex.push_back(static_cast<char>(std::tolower(c)));
    return hex;
}

// The name of the member the hook runs on (the host's input "member": {"name", "state_dir"}).
std::string member_name(const Json& input) {
    const Json member = input.value("member", Json::object());
    return member.is_object() ? member.value("name", "") : std::string();
}

// The IP address the plan gives `member` (input "addresses").
std::string address_of(const Json& input, const std::string& member) {
    const Json addresses = input.value("addresses", Json::object());
    auto it = addresses.find(member);
    if (member.empty() || it == addresses.end() || !it->is_string() || it->get<std::string>().empty())
        throw sdk::Error("invalid_input", "the plan gives no address for member \"" + member + "\"");
    return it->get<std::string>();
}

// What the plan's pools depend on in this LXD: its storage drivers and API extensions (GET /1.0
// `server`), and the pools that exist (name -> driver).
LxdFacts facts_of(const Json& server, const Json& pools) {
    LxdFacts facts;
    for (const Json& driver : summarize_server(server).value("storage_drivers", Json::array()))
        facts.drivers.push_back(driver.value("name", ""));
    facts.ovn_ssl_config = has_extension(server, kOvnSslExtension);
    facts.source_wipe = has_extension(server, kSourceWipeExtension);
    facts.pools = pools;
    return facts;
}

}  // namespace

LxdPlugin::LxdPlugin(const Json& config, SystemView system)
    : config_(parse_config(config)), system_(std::move(system)) {}

Json LxdPlugin::discover(sdk::Context& ctx) {
    // For `microcloud status` the pools and networks, the kernel modules and the member's disks and
    // interfaces are left out: they are the plan's to check, LXD lists each of the host's interfaces
    // with an `ovs-vsctl br-exists` of its own, and the member's facts are a walk through /sys.
    const bool for_status = ctx.discovering_for_status();
    Observations seen;
    seen.socket = choose_socket(config_.socket, system_.env("LXD_DIR"), system_.exists);
    seen.socket_exists = seen.socket.path && system_.exists(*seen.socket.path);
    if (seen.socket_exists) {
        const std::string& socket = *seen.socket.path;
        ctx.debug("lxd: asking LXD on " + socket + " (" + source_description(seen.socket.source) + ")");
        const LxdApi api(ctx, socket, request_timeout);
        seen.server = ask(api, "/1.0", &summarize_server);
        if (seen.server->ok() && !for_status) {
            seen.storage_pools = ask(api, "/1.0/storage-pools?recursion=1", &summarize_storage_pools);
            seen.networks = ask(api, "/1.0/networks?recursion=1", &summarize_networks);
        }
    }
    // An LXD that answers is installed, at the version it gives: `lxd --version` (a Go program's start,
    // on every member at once) is only asked where a socket is there but LXD does not answer.
    if (seen.server && seen.server->ok() && !seen.server->summary.value("version", "").empty())
        seen.program = ProgramProbe{true, seen.server->summary.value("version", ""), ""};
    else if (seen.socket_exists)
        seen.program = probe_program(ctx);  // LXD should answer there: what its program says helps tell why
    else
        seen.program = locate_program(system_);
    Json report = build_report(seen);
    if (for_status) return report;
    report["kernel"] = kernel_report(system_);
    try {
        report.update(member_resources(ctx.member_facts()));
    } catch (const sdk::Error& e) {
        report["reasons"].push_back(std::string("This member's disks and interfaces are unknown: ") + e.what());
    }
    return report;
}

Json LxdPlugin::status(sdk::Context& ctx) {
    const std::string path = socket_or_empty();
    if (path.empty() || !system_.exists(path))
        return {{"running", false},
                {"summary", "LXD is not running here (no socket" + (path.empty() ? "" : " at " + path) + ")"}};
    const LxdApi api(ctx, path, request_timeout);
    Json server;
    try {
        server = api.get("/1.0");
    } catch (const sdk::Error& e) {
        return {{"running", false}, {"summary", std::string("LXD does not answer on ") + path + ": " + e.what()}};
    }
    return service_status(server, [&api](const std::string& p) { return api.get(p); });
}

std::string LxdPlugin::socket_or_empty() const {
    const SocketChoice choice = choose_socket(config_.socket, system_.env("LXD_DIR"), system_.exists);
    return choice.path.value_or("");
}

std::string LxdPlugin::socket() const {
    const std::string path = socket_or_empty();
    if (path.empty() || !system_.exists(path))
        throw sdk::Error("lxd_unavailable", "LXD is not running here: no socket at " +
                                                (path.empty() ? std::string("any of the usual places") : path));
    return path;
}

Json LxdPlugin::validate(sdk::Context& ctx) {
    if (const auto why = not_taking_part(ctx.input())) throw sdk::Error("unsupported", *why);
    return plan_problems(ctx.input());
}

Json LxdPlugin::join(sdk::Context& ctx) {
    const Json& input = ctx.input();
    const std::string member = member_name(input);
    const std::string ip = address_of(input, member);
    const LxdApi api(ctx, socket());
    prior_ = PriorAddresses{};  // a new run: earlier runs' changes are not this one's to undo
    applied_ = AppliedChanges{};
    api.wait_ready(still_running_limit);
    tls_files_ = ReplacedFiles{};
    ovn_connection_before_.reset();
    try {
        // Before the join: a joiner's LXD uses its disk as it joins a cluster with a `local` pool.
        wipe_local_disk_if_asked(ctx, api, member);
        // Before the join: a joining LXD starts the cluster's networks as it joins.
        prepare_for_ovn(ctx, api, !input.value("bootstrap", false));
        Json result;
        bootstrapped_ = input.value("bootstrap", false);
        if (bootstrapped_) {
            bare_before_ = lxd_is_bare(api);
            ctx.info("lxd: bootstrapping LXD's cluster on " + member + " at " + lxd_address(ip));
            result = bootstrap_cluster(api, member, ip, prior_);
        } else {
            Json token = input.value("token", Json::object());
            // The certificate the first member handed over must be the one its token names.
            token["certificate_fingerprint"] = certificate_fingerprint(ctx, token.value("certificate", ""));
            ctx.info("lxd: joining " + member + " to LXD's cluster at " + lxd_address(ip));
            // Of this LXD's facts, member_config needs only whether it takes source.wipe.
            LxdFacts facts;
            if (local_disk(input, member).value("wipe", false))
                facts = facts_of(api.get("/1.0"), token.value("pools", Json::object()));
            join_cluster(api, member, ip, token, member_config_for(input, member, token, facts), prior_);
            result = Json{{"joined", member}};
        }
        // Already in LXD's cluster before this run: its rollback must not take it out.
        result["clustered_before"] = !prior_.began_clustering();
        return result;
    } catch (const std::exception&) {
        // The host tears down only completed joins: a failed one takes back its own changes.
        if (!prior_.config.empty()) undo_join(ctx, api, member);
        undo_ovn_settings(ctx, api);
        throw;
    }
}

void LxdPlugin::wipe_local_disk_if_asked(const sdk::Context& ctx, const LxdApi& api, const std::string& member) {
    const Json& input = ctx.input();
    const Json disk = local_disk(input, member);
    if (disk.empty() || !disk.value("wipe", false)) return;  // no LXD request when the plan asks no wipe
    const Json server = api.get("/1.0");
    const Json env = server.value("environment", Json::object());
    const bool member_already = env.value("server_clustered", false) && env.value("server_name", "") == member;
    const bool bootstrap = input.value("bootstrap", false);
    // The pools configure (bootstrap) or the cluster (joiner) will have, as configure will see them.
    const Json pools = bootstrap || member_already
                           ? pool_drivers(api)
                           : input.value("token", Json::object()).value("pools", Json::object());
    const LxdFacts facts = facts_of(server, pools);
    // The driver configure will choose; without discovery reports, this member's kernel stands in.
    Json plan = input;
    if (!plan["discovery"].is_object()) plan["discovery"] = Json::object();
    if (!plan["discovery"][member].is_object()) plan["discovery"][member] = Json::object();
    if (!plan["discovery"][member].contains("kernel")) plan["discovery"][member]["kernel"] = kernel_report(system_);
    const std::string driver = local_driver(plan, facts);
    const auto path = disk_to_wipe(plan, member, driver, facts);
    if (!path) return;
    if (member_already && pools.contains("local")) {
        ctx.info("lxd: " + *path + " on " + member + " serves LXD's pool \"local\" already: not wiped again");
        return;
    }
    ctx.info("lxd: wiping " + *path + " on " + member + " for pool \"local\" (" + driver + "): LXD here lacks " +
             kSourceWipeExtension);
    wipe_local_disk(ctx, member, *path);
}

void LxdPlugin::undo_ovn_settings(const sdk::Context& ctx, const LxdApi& api) {
    try {
        restore_files(tls_files_);
        if (ovn_connection_before_)
            api.send("PATCH", "/1.0",
                     Json{{"config", {{"network.ovn.northbound_connection", *ovn_connection_before_}}}});
    } catch (const std::exception& e) {
        ctx.warn(std::string("lxd: could not put back the OVN settings of this member: ") + e.what());
    }
    tls_files_ = ReplacedFiles{};
    ovn_connection_before_.reset();
}

void LxdPlugin::prepare_for_ovn(const sdk::Context& ctx, const LxdApi& api, bool joining) {
    const Json ovn = ctx.input().value("published", Json::object()).value("ovn", Json::object());
    const auto files = ovn_tls_files(ovn);
    const std::string connection = ovn.value("northbound_connection", "");
    if (files.empty() && (!joining || connection.empty())) return;
    const Json server = api.get("/1.0");
    if (!files.empty() && !has_extension(server, kOvnSslExtension)) {
        ctx.info(std::string("lxd: writing OVN's TLS files for LXD into ") + kOvnTlsDir + " (LXD lacks " +
                 kOvnSslExtension + ")");
        write_ovn_tls_files(kOvnTlsDir, files, tls_files_);
    }
    const std::string current = server.value("config", Json::object()).value("network.ovn.northbound_connection", "");
    if (!joining || connection.empty() || current == connection) return;
    ovn_connection_before_ = current;
    api.send("PATCH", "/1.0", Json{{"config", {{"network.ovn.northbound_connection", connection}}}});
}

void LxdPlugin::undo_join(const sdk::Context& ctx, const LxdApi& api, const std::string& member) {
    try {
        leave_cluster(api, member, prior_);
        prior_ = PriorAddresses{};
        return;
    } catch (const sdk::Error& e) {
        ctx.warn("lxd: could not take back the failed join of " + member + ": " + e.what());
    }
    // LXD died under the join: what it had committed of the cluster is set aside, as a rollback
    // without LXD does, so that it starts standalone (the host tears down only completed joins).
    try {
        if (!lxd_answers(ctx)) roll_back_without_lxd(ctx, member);
    } catch (const sdk::Error& e) {
        ctx.warn("lxd: the failed join of " + member + " is not taken back: " + e.what());
    }
}

Json LxdPlugin::issue_token(sdk::Context& ctx) {
    const std::string name = ctx.input().value("name", "");
    if (name.empty()) throw sdk::Error("invalid_input", "issue_token needs the joiner's name (input \"name\")");
    return issue_join_token(LxdApi(ctx, socket()), name);
}

Json LxdPlugin::configure(sdk::Context& ctx) {
    const LxdApi api(ctx, socket());
    const Json server = api.get("/1.0");
    const LxdFacts facts = facts_of(server, pool_drivers(api));
    const DesiredState state = desired_state(ctx.input(), facts);
    // What the plan leaves out is said before anything is made, and kept in the answer.
    for (const std::string& note : state.notes) ctx.warn("lxd: " + note);
    applied_ = AppliedChanges{};
    Json report = apply_state(api, state, ctx.input().value("bootstrap", false), applied_,
                              [&ctx](const std::string& line) { ctx.info("lxd: " + line); });
    report["notes"] = state.notes;
    return report;
}

bool LxdPlugin::lxd_is_bare(const LxdApi& api) const {
    try {
        return api.get("/1.0/instances").empty() && api.get("/1.0/storage-pools").empty();
    } catch (const sdk::Error&) {
        return false;  // unknown counts as not bare: nothing is set aside then
    }
}

bool LxdPlugin::lxd_answers(const sdk::Context& ctx) const {
    const std::string path = socket_or_empty();
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (attempt > 0) std::this_thread::sleep_for(std::chrono::seconds(1));
        if (path.empty() || !system_.exists(path)) continue;
        try {
            ctx.http(path, "GET", "/1.0", "", std::chrono::seconds(5));
            return true;
        } catch (const sdk::Error& e) {
            if (e.code() != "socket_unreachable") throw;
            const std::string why = e.what();
            // Nothing listens: dead. Anything else (a timeout, a closed connection) may be an LXD
            // that is busy or restarting, whose state must not be touched.
            if (why.find("Connection refused") == std::string::npos && why.find("No such file") == std::string::npos)
                throw sdk::Error("teardown_incomplete", "LXD does not answer on " + path + " (" + why +
                                                            "); it may be busy or restarting, so what this run's "
                                                            "join did is left as it is");
        }
    }
    return false;
}

Json LxdPlugin::roll_back_without_lxd(const sdk::Context& ctx, const std::string& member) {
    applied_ = AppliedChanges{};  // configure's changes live in the cluster's database, set aside below
    // The OVN TLS files the join replaced need no LXD to be put back.
    try {
        restore_files(tls_files_);
    } catch (const std::exception& e) {
        ctx.warn(std::string("lxd: could not put back the OVN TLS files of this member: ") + e.what());
    }
    tls_files_ = ReplacedFiles{};
    ovn_connection_before_.reset();  // a setting in the database set aside below
    if (!prior_.began_clustering()) return Json{{"left", false}, {"detail", "LXD does not run; this run did not cluster it"}};
    if (bootstrapped_ && !bare_before_)
        throw sdk::Error("teardown_incomplete",
                         "LXD on " + member + " does not run, and it held instances or storage pools before this run "
                         "bootstrapped its cluster: its database is left as it is. Once LXD runs again, it is a "
                         "one-member cluster; take it back with `lxd cluster edit` or keep it clustered");
    const std::string path = socket_or_empty();
    if (path.empty())
        throw sdk::Error("teardown_incomplete", "LXD on " + member + " does not run and its directory is unknown "
                                                "(no socket configured or found): its cluster state stays as the join left it");
    const std::string aside = set_cluster_state_aside(std::filesystem::path(path).parent_path().string());
    ctx.warn("lxd: LXD on " + member + " does not run: the cluster state this run's join gave it is set aside in " +
             aside + " (its local settings with it, in database/local.db), so that it starts standalone");
    Json lost = Json::object();
    for (const auto& [key, value] : prior_.config.items())
        if (value.is_string() && !value.get<std::string>().empty()) lost[key] = value;
    prior_ = PriorAddresses{};
    const Json result{{"left", true}, {"set_aside", aside}};
    if (!lost.empty())
        throw sdk::Error("teardown_incomplete",
                         "LXD on " + member + " does not run: its cluster state is set aside in " + aside +
                             "; once LXD runs again, set what it had before the join: " + lost.dump(),
                         result);
    return result;
}

Json LxdPlugin::teardown(sdk::Context& ctx) {
    const Json& input = ctx.input();
    if (input.value("mode", "") == "leave")
        throw sdk::Error("unsupported", "LXD's cluster takes a member out from a current member (mode \"remove\")");
    if (input.value("mode", "") == "undo_configure") {
        // A failed `service add`: only what this worker's configure created or changed goes (the
        // cluster itself was there before the run).
        const LxdApi api(ctx, socket());
        Json result = undo_changes(api, applied_);
        applied_ = AppliedChanges{};
        if (!result["failed"].empty())
            throw sdk::Error("teardown_incomplete",
                             "LXD on " + member_name(input) + " could not take back: " + result["failed"].dump(), result);
        return result;
    }
    const bool removing = input.value("mode", "") == "remove";
    if (removing && !system_.exists(socket_or_empty())) {
        // LXD does not run on the member that removes: LXD's cluster cannot be asked from here.
        throw sdk::Error("unsupported", "LXD is not running on this member, so it cannot remove " +
                                            input.value("remove", "") + " from LXD's cluster");
    }
    if (input.value("mode", "") == "rollback" && !lxd_answers(ctx)) return roll_back_without_lxd(ctx, member_name(input));
    const LxdApi api(ctx, socket());
    if (removing) {
        const std::string name = input.value("remove", "");
        ctx.info("lxd: removing " + name + " from LXD's cluster" + (input.value("force", false) ? " (forced)" : ""));
        return remove_cluster_member(api, name, input.value("force", false));
    }
    // A failed run: what configure created goes first (on the member that configured), then the
    // join; every step is tried, and what could not be taken back is reported at the end.
    Json result = undo_changes(api, applied_);
    applied_ = AppliedChanges{};
    try {
        // Only what this run's join did is taken back: an LXD clustered before stays so.
        if (prior_.began_clustering()) {
            // Run members whose LXD died would keep the cluster from its quorum once this one left.
            const Json dropped = drop_silent_members(api, member_name(input), input.value("run_members", Json::array()));
            for (const Json& name : dropped)
                ctx.warn("lxd: " + name.get<std::string>() + " no longer answers: removed from LXD's cluster (forced)");
            if (!dropped.empty()) result["dropped"] = dropped;
            result.update(leave_cluster(api, member_name(input), prior_));
        } else {
            result["left"] = false;
        }
        prior_ = PriorAddresses{};
    } catch (const sdk::Error& e) {
        result["failed"].push_back(std::string("leave LXD's cluster: ") + e.what());
    }
    undo_ovn_settings(ctx, api);
    if (!result["failed"].empty())
        throw sdk::Error("teardown_incomplete",
                         "LXD on " + member_name(input) + " could not take back: " + result["failed"].dump(), result);
    return result;
}

}  // namespace microcloud::plugins::lxd
