// plugins/ceph/ceph_report.cpp - builds the Ceph discover report from observations.
#include "ceph_report.hpp"

#include "ceph_programs.hpp"
#include "ceph_status.hpp"
#include "ceph_version.hpp"

namespace microcloud::plugins::ceph {
namespace {

using sdk::Json;

struct Findings {
    std::vector<std::string> reasons;   // why Ceph is not usable here
    std::vector<std::string> warnings;  // what else is missing or wrong
};

Json optional_text(const std::string& text) {
    return text.empty() ? Json(nullptr) : Json(text);
}

// The program's entry in "programs", noting problems in `findings`; sets `version` when parsed.
Json program_fact(const ProgramProbe& probe, bool required, std::optional<CephVersion>& version,
                  Findings& findings) {
    Json fact = {{"installed", !probe.path.empty()},
                 {"path", optional_text(probe.path)},
                 {"package", probe.package},
                 {"version", nullptr}};
    if (probe.path.empty()) {
        if (!required) {
            findings.warnings.push_back(probe.name + " is not installed (Debian package " + probe.package +
                                        "): CephFS cannot be served from this member.");
            return fact;
        }
        findings.reasons.push_back(probe.name +
                                   " is not installed: it is in neither PATH nor the standard sbin/bin "
                                   "directories (Debian package " +
                                   probe.package + ").");
        return fact;
    }
    std::string problem;
    if (!probe.package_version.empty()) {
        // dpkg's record of the package that owns the file (no commit or codename there).
        version = CephVersion{probe.package_version, "", "", ""};
    } else if (!probe.run && probe.start_error.empty()) {
        return fact;  // found; its version is not asked (see ceph_programs.hpp)
    } else if (!probe.run) {
        problem = "could not be started: " + probe.start_error;
    } else if (!probe.run->ok()) {
        problem = failure_text(*probe.run);
    } else if (version = parse_ceph_version(probe.run->out + "\n" + probe.run->err); !version) {
        problem = "printed no \"ceph version\" line: \"" + last_line(probe.run->out) + "\"";
    }
    if (!problem.empty()) {
        fact["error"] = problem;
        findings.warnings.push_back(probe.name + " is installed at " + probe.path + " but `" + probe.name +
                                    " --version` " + problem + ".");
        return fact;
    }
    fact["version"] = version->version;
    fact["version_from"] = probe.package_version.empty() ? "--version" : "package";
    fact["commit"] = optional_text(version->commit);
    fact["codename"] = optional_text(version->codename);
    fact["release_type"] = optional_text(version->release_type);
    return fact;
}

Json release_fact(const std::vector<std::pair<std::string, CephVersion>>& seen, Findings& findings) {
    Json out = {{"version", nullptr}, {"codename", nullptr}, {"minimum", kMinimumCeph}, {"supported", nullptr}};
    if (seen.empty()) return out;
    const CephVersion& first = seen.front().second;
    out["version"] = first.version;
    out["codename"] = optional_text(first.codename);
    std::string listing;
    bool differ = false;
    for (const auto& [program, v] : seen) {
        listing += (listing.empty() ? "" : ", ") + program + " " + v.version;
        differ = differ || v.version != first.version;
    }
    if (differ) findings.warnings.push_back("Ceph programs report different versions: " + listing + ".");
    auto supported = version_at_least(first.version, kMinimumCeph);
    out["supported"] = supported ? Json(*supported) : Json(nullptr);
    if (supported && !*supported)
        findings.reasons.push_back("Ceph " + first.version + " is older than the oldest supported release " +
                                   kMinimumCeph + " (Pacific).");
    return out;
}

Json cluster_fact(const CephObservations& observed, Findings& findings) {
    const auto& files = observed.files;
    const auto& config = observed.config;
    Json daemons = Json::object();
    bool any_daemon_dir = false;
    for (const auto& [kind, ids] : files.daemon_ids) {
        daemons[kind] = ids;
        any_daemon_dir = any_daemon_dir || !ids.empty();
    }
    Json fact = {{"name", config.cluster},
                 {"conf_dir", config.conf_dir},
                 {"conf_file", files.conf_path},
                 {"configured", files.conf_exists},
                 {"fsid", nullptr},
                 {"mon_host", nullptr},
                 {"conf_errors", Json::array()},
                 {"keyring",
                  {{"path", optional_text(files.keyring_path)},
                   {"exists", !files.keyring_path.empty()},
                   {"candidates", files.keyring_candidates}}},
                 {"data_dir", config.data_dir},
                 {"daemons", daemons}};
    if (!files.conf_exists) {
        if (any_daemon_dir)
            findings.warnings.push_back("Ceph daemon data exists under " + config.data_dir + " but there is no " +
                                        files.conf_path + ": a previous cluster may have been removed incompletely.");
        return fact;
    }
    if (!files.conf_read_error.empty())
        findings.warnings.push_back("The Ceph configuration " + files.conf_read_error + ".");
    if (files.conf) {
        fact["conf_errors"] = files.conf->errors;
        for (const auto& error : files.conf->errors) findings.warnings.push_back(files.conf_path + " " + error + ".");
        fact["fsid"] = optional_text(files.conf->get("global", "fsid").value_or(""));
        fact["mon_host"] = optional_text(monitor_addresses(*files.conf));
        if (fact["fsid"].is_null()) findings.warnings.push_back(files.conf_path + " has no fsid in [global].");
        if (fact["mon_host"].is_null())
            findings.warnings.push_back(files.conf_path + " names no monitors (mon_host in [global]).");
    }
    if (files.keyring_path.empty())
        findings.warnings.push_back("No client.admin keyring was found for cluster \"" + config.cluster +
                                    "\" (looked at " + std::to_string(files.keyring_candidates.size()) +
                                    " places, first " + files.keyring_candidates.front() + ").");
    return fact;
}

Json health_fact(const StatusProbe& status, Findings& findings) {
    if (!status.skipped_because.empty()) return {{"checked", false}, {"reason", status.skipped_because}};
    std::string error;
    std::optional<Json> summary;
    if (!status.run)
        error = "ceph could not be started: " + status.start_error;
    else if (!status.run->ok())
        error = "ceph -s " + failure_text(*status.run);
    else if (summary = summarise_ceph_status(status.run->out); !summary)
        error = "ceph -s printed no status document: \"" + last_line(status.run->out) + "\"";
    if (!error.empty()) {
        findings.warnings.push_back("The configured Ceph cluster did not answer: " + error + ".");
        return {{"checked", true}, {"reachable", false}, {"error", error}};
    }
    Json out = *summary;
    out["checked"] = true;
    if (out["status"].is_string() && out["status"] != "HEALTH_OK") {
        std::string checks;
        for (const auto& [name, message] : out["checks"].items())
            checks +=
                (checks.empty() ? "" : "; ") + name + (message.is_string() ? ": " + message.get<std::string>() : "");
        findings.warnings.push_back("The Ceph cluster reports " + out["status"].get<std::string>() +
                                    (checks.empty() ? "" : " (" + checks + ")") + ".");
    }
    return out;
}

}  // namespace

Json ceph_report(const CephObservations& observed) {
    Findings findings;
    Json programs = Json::object();
    std::vector<std::pair<std::string, CephVersion>> versions;
    for (const auto& probe : observed.programs) {
        std::optional<CephVersion> version;
        bool required = true;
        for (const auto& spec : kCephPrograms)
            if (probe.name == spec.name) required = spec.required;
        programs[probe.name] = program_fact(probe, required, version, findings);
        if (version) versions.emplace_back(probe.name, *version);
    }
    Json release = release_fact(versions, findings);
    Json cluster = cluster_fact(observed, findings);
    Json health = health_fact(observed.status, findings);
    return Json{{"component", "Ceph"},         {"present", findings.reasons.empty()},
                {"reasons", findings.reasons}, {"warnings", findings.warnings},
                {"programs", programs},        {"version", release.value("version", Json(nullptr))},
                {"release", release},          {"running", health.value("reachable", false)},
                {"cluster", cluster},          {"health", health}};
}

}  // namespace microcloud::plugins::ceph
