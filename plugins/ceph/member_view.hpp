// plugins/ceph/member_view.hpp - what the Ceph plugin's discovery adds from the member's facts:
// its global addresses (with prefixes, for the public and cluster networks), its disks judged for
// OSDs, and whether MicroCloud formed Ceph here.
#pragma once

#include "ceph_config.hpp"
#include "osd_disks.hpp"

#include <microcloud/sdk/plugin.hpp>

#include <functional>
#include <string>

namespace microcloud::plugins::ceph {

/// [{"interface", "address", "prefix"}] of every global address in the facts' interfaces.
sdk::Json global_addresses(const sdk::Json& facts);

/// Adds "addresses", "disks" (judge_disk of each facts disk, probed with `probe`),
/// "formed_by_microcloud" (the marker file exists) and "daemons_running" to a discover report.
void add_member_view(sdk::Json& report, const sdk::Json& facts, const CephConfig& config,
                     const std::function<DiskProbe(const std::string&)>& probe);

/// The Ceph daemons of `cluster` running here: [{"name": "mon.m1", "pid"}] from the pid files in
/// `run_dir` whose process is a ceph-* program.
sdk::Json running_daemons(const std::string& run_dir, const std::string& cluster);

/// The address of `addresses` (global_addresses' form) inside `cidr` text, or "" when none.
std::string address_in(const sdk::Json& addresses, const std::string& cidr);

/// The subnet ("a.b.c.0/24") of the interface address `address` among `addresses`, or "".
std::string subnet_of_address(const sdk::Json& addresses, const std::string& address);

}  // namespace microcloud::plugins::ceph
