// plugins/ceph/ceph_programs.hpp - the Ceph programs a member needs, and the oldest release.
#pragma once

namespace microcloud::plugins::ceph {

struct ProgramSpec {
    const char* name;
    const char* package;       // Debian package that ships it
    bool ask_version = true;   // run `--version` (not for the Python `ceph` client: too slow for discovery)
    bool required = true;      // Ceph cannot take part without it (else: only CephFS needs it)
};

// In the order they are probed and reported; the first that reports a version gives Ceph's, and
// the programs after it are only looked for (ceph_discovery.cpp).
inline constexpr ProgramSpec kCephPrograms[] = {
    {"ceph-mon", "ceph-mon"},
    {"ceph", "ceph-common", false},
    {"ceph-mgr", "ceph-mgr"},
    {"ceph-osd", "ceph-osd"},
    {"ceph-authtool", "ceph-common"},
    {"monmaptool", "ceph-base"},
    {"rbd", "ceph-common", false},
    {"ceph-mds", "ceph-mds", true, false},
};

// Oldest supported release (as in manifest.json "supports"): 16.2 Pacific.
inline constexpr const char* kMinimumCeph = "16.2";

}  // namespace microcloud::plugins::ceph
