// plugins/lxd/offline_reset.hpp - the rollback of a join when this member's LXD no longer runs:
// the cluster state the join gave LXD is set aside (renamed, never deleted) so that LXD starts
// standalone when it is started again, as it would have been had it left the cluster itself.
#pragma once

#include <string>

namespace microcloud::plugins::lxd {

/// Moves LXD's database directory and cluster certificate and key (those that exist) out of
/// `lxd_dir` into a new directory `lxd_dir`/microcloud-rollback-<UTC time>/ and returns its path
/// (LXD makes a fresh database and takes its server certificate as the cluster's when it starts).
/// Throws sdk::Error("teardown_incomplete") naming the file that could not be moved, or when
/// `lxd_dir` holds no `database` directory (nothing is moved then).
std::string set_cluster_state_aside(const std::string& lxd_dir);

}  // namespace microcloud::plugins::lxd
