// plugins/ceph/ceph_report.hpp - what discovery observed on a member, and the discover report
// built from it (pure: no I/O).
#pragma once

#include "ceph_config.hpp"
#include "cluster_files.hpp"
#include <microcloud/sdk/programs.hpp>

#include <microcloud/sdk/plugin.hpp>

#include <optional>
#include <string>
#include <vector>

namespace microcloud::plugins::ceph {

using namespace sdk::programs;

// The status query of an existing cluster.
struct StatusProbe {
    std::string skipped_because;            // why it was not attempted ("" when it was)
    std::optional<sdk::CommandResult> run;  // the query, when it ran
    std::string start_error;                // why `ceph` could not start
};

struct CephObservations {
    CephConfig config;
    std::vector<ProgramProbe> programs;  // one per kCephPrograms entry
    ClusterFiles files;
    StatusProbe status;
};

// The discover report:
// {"component":"Ceph", "present", "reasons":[...], "warnings":[...], "programs":{name:{...}},
//  "version":{version, codename, minimum, supported}, "cluster":{name, conf_dir, conf_file,
//  configured, fsid, mon_host, conf_errors, keyring:{path, exists, candidates}, data_dir,
//  daemons:{mon,mgr,osd}}, "health":{checked, reachable, status, ... or error/reason}}.
// present is true when every program is installed at a supported release; an existing
// cluster, and whether it answers, are facts.
sdk::Json ceph_report(const CephObservations& observed);

}  // namespace microcloud::plugins::ceph
