// plugins/ceph/ceph_commands.hpp - the command lines the Ceph plugin runs (pure: argv builders),
// so that what forms a cluster can be read and tested in one place.
#pragma once

#include "ceph_config.hpp"
#include "ceph_layout.hpp"

#include <string>
#include <vector>

namespace microcloud::plugins::ceph {

using Argv = std::vector<std::string>;

/// The `ceph` client against this member's cluster as client.admin, then `args`.
Argv ceph_cli(const CephConfig& config, const Argv& args);

/// The `ceph` client as client.bootstrap-osd (what a member uses to register its OSDs).
Argv ceph_cli_bootstrap_osd(const CephConfig& config, const Argv& args);

/// A keyring at `path` with a new key for `entity` and the given caps ("mon", "allow *", ...).
Argv authtool_create(const std::string& path, const std::string& entity, const Argv& caps);

/// Imports `other` into the keyring at `path`.
Argv authtool_import(const std::string& path, const std::string& other);

/// A keyring at `path` holding `secret` for `entity`.
Argv authtool_with_key(const std::string& path, const std::string& entity, const std::string& secret);

/// A new monmap at `path` with one monitor `name` at `address` (messenger v2 and v1).
Argv monmap_create(const std::string& path, const std::string& fsid, const std::string& name,
                   const std::string& address, const std::string& release);

/// `ceph-mon --mkfs` for monitor `name` from `monmap` and the mon. keyring.
Argv mon_mkfs(const CephConfig& config, const std::string& name, const std::string& monmap,
              const std::string& keyring);

/// `ceph-osd --mkfs` of bluestore OSD `id` with `uuid` (its data dir holds `block` and `keyring`).
Argv osd_mkfs(const CephConfig& config, const std::string& id, const std::string& uuid);

/// Starts daemon `kind` ("mon", "mgr", "osd", "mds") `id`: the program itself (it daemonizes),
/// with `extra` arguments, or the distribution's systemd unit ceph-<kind>@<id>.
Argv daemon_start(const CephConfig& config, bool systemd, const std::string& kind, const std::string& id,
                  const Argv& extra = {});

/// Stops a daemon started by systemd (a directly started one is signalled through its pid file).
Argv daemon_stop_systemd(const std::string& kind, const std::string& id);

/// The address in the form `ceph-mon --public-addr` takes.
std::string address_argument(const std::string& address);

/// Zaps the start of a disk an OSD used (bluestore's label and the first 10 MiB).
Argv zap_head(const std::string& device);

/// Removes every filesystem, RAID and partition-table signature of a disk (util-linux wipefs).
Argv wipe_signatures(const std::string& device);

}  // namespace microcloud::plugins::ceph
