// plugins/lxd/kernel_modules.hpp - what this member's kernel offers LXD's storage drivers: RBD
// block devices (rbd), the ceph file system (ceph) and the device-mapper (lvm's volumes), each
// loaded or available as a module.
#pragma once

#include "system_view.hpp"

#include <microcloud/sdk/plugin.hpp>

#include <string>

namespace microcloud::plugins::lxd {

/// True when `listing` (the text of modules.dep or modules.builtin) names the module `module`
/// ("rbd", "dm_mod"): a line whose module file (before any ':') is <module>.ko, compressed or not,
/// '-' and '_' alike.
bool module_listed(const std::string& module, const std::string& listing);

/// The kernel facts of the discover report: {"rbd": bool, "ceph": bool, "device_mapper": bool},
/// each true when the module is loaded (/sys/module/<name>; "ceph" in /proc/filesystems;
/// "device-mapper" in /proc/misc) or available (modules.dep or modules.builtin of the running
/// kernel, /lib/modules/<release>/).
sdk::Json kernel_report(const SystemView& system);

}  // namespace microcloud::plugins::lxd
