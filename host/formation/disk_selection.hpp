// host/formation/disk_selection.hpp - choosing each member's local disk and Ceph disks from the
// preseed's explicit systems[].storage paths and its storage.local[]/storage.ceph[] filters, the way
// upstream MicroCloud's preseed does, with upstream's messages.
#pragma once

#include "formation/preseed.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace microcloud::host::formation {

// The path a chosen disk is given, as upstream's FormatDiskPath: its /dev/disk/by-id/ path when
// known, else /dev/disk/by-path/<device_path>, else its /dev path. `disk` is one object of the
// facts' disks array (host/system/disks.cpp).
std::string disk_path(const nlohmann::json& disk);

// Why no filter may choose `disk`, or "" when one may: it has partitions (upstream's one rule), is
// a CD/DVD drive (upstream's interactive rule), is read-only, or is in use (its in_use_reason).
std::string disk_unusable_reason(const nlohmann::json& disk);

// Upstream's rules for the storage filters, in upstream's order and words: an empty find, a
// find_max below find_min, a Ceph filter's find_min below 1. Returns the local filters with a
// find_min of 0 taken as 1. Throws Error("invalid_preseed") naming the filter's field.
std::vector<DiskFilter> checked_filters(const Preseed& preseed);

// Chooses the disks of every member of `member_disks` (member name -> its facts' disks array; pass
// every member being set up, with [] when it has no disks). Upstream's order:
//  1. the filters' constraints are checked (empty find, find_max below find_min, a Ceph filter's
//     find_min below 1; a local filter's find_min of 0 counts as 1);
//  2. a member's explicit systems[].storage paths are its choice for that kind, and the filters of
//     that kind do not apply to it; explicit paths never reach a filter;
//  3. Ceph first: on each member without explicit Ceph disks, each storage.ceph filter in order
//     takes every usable disk it matches that no earlier filter took;
//  4. then local: on each member without an explicit local disk, the first storage.local filter
//     matching a disk still free takes the first such disk (one local disk per member);
//  5. per filter, the disks it took across all members are checked against find_min/find_max
//     (left out without `check_totals`: a dry run on one machine cannot count the others' disks);
//     with `bootstrap`, either every member or none must end up with a local disk.
// Returns {member: {"local": {"path","wipe","source"} | null,
//                   "ceph": [{"path","wipe","encrypt","source"}],
//                   "passed_over": [{"path","reason"}]}}
// where source is "systems[i].storage.local", "systems[i].storage.ceph[j]", "storage.local[k]" or
// "storage.ceph[k]". Throws Error: "invalid_preseed" (constraints, filters that cannot be used),
// "invalid_disk_filter" (a find expression, prefixed "Failed to apply filter for ceph disks: " or
// "... local disks: "), "invalid_disk_facts", or "disk_selection_failed" (find_min/find_max,
// a member without a local disk), each with upstream's message and details naming the field.
nlohmann::json select_disks(const Preseed& preseed, const std::map<std::string, nlohmann::json>& member_disks,
                            bool bootstrap = true, bool check_totals = true);

}  // namespace microcloud::host::formation
