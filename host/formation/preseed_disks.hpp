// host/formation/preseed_disks.hpp - the preseed run's disk step: the disks of the members taking
// part read from their facts, the preseed's choice made (disk_selection.hpp) and told, one line per
// member; and the same for one machine alone in a dry run.
#pragma once

#include "formation/preseed.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

namespace microcloud::host::formation {

// Whether the preseed names any storage: a systems[].storage.local/ceph disk or a storage.local[] /
// storage.ceph[] filter.
bool names_storage(const Preseed& preseed);

// A member's system facts (as GET /1.0/system shows them); throws Error when it cannot be read.
using FactsOf = std::function<nlohmann::json(const std::string& member)>;

// The disks of `members` (read through `facts_of`, in parallel) chosen by select_disks(preseed, ...,
// bootstrap): member -> {"local", "ceph", "passed_over"}. Says one line per member through `say`
// (describe_disk_choice). An empty object, without reading any facts, when the preseed names no
// storage. Throws Error only: select_disks' errors as they are, "member_facts_unavailable" naming
// the member whose facts could not be read.
nlohmann::json choose_disks(const Preseed& preseed, const std::vector<std::string>& members, bool bootstrap,
                            const FactsOf& facts_of, const std::function<void(const std::string&)>& say);

// A dry run's choice for machine `name` alone, from its own `facts`, not bootstrapping.
struct OwnDiskChoice {
    nlohmann::json disks = nlohmann::json::object();  // as choose_disks; {} when no storage is named
    // A filter's find_min/find_max not met by this machine's disks alone (select_disks' message):
    // the run counts every member's disks, so here it is a note, not an error. "" when met.
    std::string note{};
};
OwnDiskChoice choose_own_disks(const Preseed& preseed, const std::string& name, const nlohmann::json& facts);

// One line saying what member `member` got: "Disks of m1: local /dev/x (filter storage.local[0]
// "type == loop", wipe); ceph /dev/y (systems[0].storage.ceph[0])" or "Disks of m1: none chosen".
// `choice` is one member's entry of choose_disks; `storage` is the preseed's storage section (where
// a filter's find expression is read), or null.
std::string describe_disk_choice(const std::string& member, const nlohmann::json& choice,
                                 const nlohmann::json& storage);

}  // namespace microcloud::host::formation
