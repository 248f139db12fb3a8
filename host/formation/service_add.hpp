// host/formation/service_add.hpp - `microcloud service add`: components formed on a running cloud,
// across every member, with formation's discovery, validation, waves, progress and rollback.
#pragma once

#include "formation/preseed_run.hpp"

#include <nlohmann/json.hpp>

#include <set>
#include <string>

namespace microcloud::host::formation {

// Forms the components of `services` (loaded plugin names) on every member of this member's
// cluster: each is bootstrapped here and joined by the others; the plugins ordered after them
// configure (LXD adds the remote pool once Ceph is there). `setup`: the answers as a preseed
// document (the members' storage, ovn_uplink_interface, the ovn and ceph sections), or null.
// Throws Error("not_clustered"), Error("invalid_services") naming a service that is not a loaded
// plugin, or run_components' errors (after its rollback). Returns run_components' report.
nlohmann::json add_services(const PreseedContext& context, const std::set<std::string>& services,
                            const nlohmann::json& setup);

}  // namespace microcloud::host::formation
