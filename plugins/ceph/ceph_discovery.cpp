// plugins/ceph/ceph_discovery.cpp - runs the read-only probes of Ceph on this member.
#include "ceph_discovery.hpp"

#include "ceph_programs.hpp"
#include "ceph_status.hpp"

namespace microcloud::plugins::ceph {
namespace {

StatusProbe probe_status(const CephObservations& observed, const CommandRunner& run) {
    StatusProbe probe;
    const ProgramProbe* ceph = nullptr;
    for (const auto& p : observed.programs)
        if (p.name == "ceph") ceph = &p;
    if (!observed.files.conf_exists) {
        probe.skipped_because = "there is no cluster configuration at " + observed.files.conf_path;
        return probe;
    }
    if (ceph == nullptr || ceph->path.empty()) {
        probe.skipped_because = "the ceph client is not installed (Debian package ceph-common)";
        return probe;
    }
    sdk::CommandOptions options;
    options.timeout = kStatusTimeout;
    try {
        probe.run = run(ceph_status_argv(ceph->path, observed.files.conf_path, observed.config.cluster,
                                         observed.files.keyring_path),
                        options);
    } catch (const std::exception& e) {
        probe.start_error = e.what();
    }
    return probe;
}

}  // namespace

CephObservations observe_ceph(const CephConfig& config, const CommandRunner& run, const std::string& path_env,
                              bool probe_health) {
    CephObservations observed;
    observed.config = config;
    const auto dirs = program_search_dirs(path_env);
    // Debian's Ceph packages require one another at the very same version, so the first program
    // whose version is known speaks for all: the others are only looked for. The version comes
    // from dpkg when the package owns the program's file, else from `--version` (a process start
    // of 40-50 ms for a program linking libceph-common, on every member at once).
    bool answered = false;
    for (const auto& spec : kCephPrograms) {
        if (spec.ask_version && !answered) {
            const ProgramProbe& probe =
                observed.programs.emplace_back(probe_program_or_package(spec.name, spec.package, dirs, run));
            answered = !probe.package_version.empty() || (probe.run && probe.run->ok());
            continue;
        }
        observed.programs.push_back(locate_program(spec.name, spec.package, dirs));
    }
    observed.files = read_cluster_files(config);
    if (probe_health)
        observed.status = probe_status(observed, run);
    else
        observed.status.skipped_because = "the cluster's health is the status hook's to report";
    return observed;
}

}  // namespace microcloud::plugins::ceph
