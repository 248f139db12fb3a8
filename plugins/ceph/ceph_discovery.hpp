// plugins/ceph/ceph_discovery.hpp - gathers CephObservations on this member: programs, cluster
// files and, when a cluster is configured, its status. Commands go through an injected runner.
#pragma once

#include "ceph_report.hpp"

#include <chrono>
#include <string>

namespace microcloud::plugins::ceph {

// Longest wait for the status query (the client itself gives up on monitors after 3 s).
inline constexpr std::chrono::milliseconds kStatusTimeout{8000};

// `path_env` is the $PATH used to find programs (the standard sbin/bin dirs are added). Without
// `probe_health` the status query is skipped (the status hook, asked beside, makes it).
CephObservations observe_ceph(const CephConfig& config, const CommandRunner& run, const std::string& path_env,
                              bool probe_health = true);

}  // namespace microcloud::plugins::ceph
