// plugins/ceph/ceph_plan_rules.hpp - the Ceph plugin's validate hook: whether Ceph takes part in a
// run and the problems of its plan (disks, networks, CephFS, programs), with upstream's messages
// where upstream has one. Pure: reads only the hook input.
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <string>
#include <vector>

namespace microcloud::plugins::ceph {

/// The members that set Ceph up in this run: every member when bootstrapping, else the joining ones.
std::vector<std::string> run_members(const sdk::Json& input);

/// input["disks"][member]["ceph"] (the host's choice of Ceph disks), [] when none.
sdk::Json ceph_disks_of(const sdk::Json& input, const std::string& member);

/// The validate answer: [{"field", "message", "severity"}]. Throws Error("unsupported") when Ceph
/// takes no part: no member was given a Ceph disk and MicroCloud has not formed Ceph already.
sdk::Json ceph_plan_problems(const sdk::Json& input);

}  // namespace microcloud::plugins::ceph
